// Cedar peer for the Tollgate policy benchmark: decides every request of a CSV file with
// the small equivalent export policy (policy.cedar), prints "id,allow|deny" per request and
// the timing to stderr. Uses the pre-parsed (stateful) API so parsing is not timed.
import { readFileSync } from "node:fs";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

const [policyFile, requestsFile] = process.argv.slice(2);
const policies = readFileSync(policyFile, "utf8");
const pre = cedar.preparsePolicySet("small", { staticPolicies: policies });
if (pre.type !== "success") {
  console.error(JSON.stringify(pre.errors));
  process.exit(2);
}
const rows = readFileSync(requestsFile, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const out = new Array(rows.length);
const start = process.hrtime.bigint();
for (let i = 0; i < rows.length; i++) {
  const [, eccn, dest, use] = rows[i];
  const ans = cedar.statefulIsAuthorized({
    principal: { type: "Exporter", id: "x" },
    action: { type: "Action", id: "ship" },
    resource: { type: "Item", id: "i" },
    context: { eccn, dest, use },
    preparsedPolicySetId: "small",
    entities: [],
  });
  if (ans.type !== "success") {
    console.error(JSON.stringify(ans.errors));
    process.exit(1);
  }
  out[i] = ans.response.decision === "allow" ? "allow" : "deny";
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(rows.map((r, i) => `${r[0]},${out[i]}`).join("\n") + "\n");
console.error(`cedar decisions=${rows.length} seconds=${secs.toFixed(4)} per_sec=${(rows.length / secs).toFixed(0)}`);
