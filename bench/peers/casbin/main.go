// Casbin peer for the Tollgate policy benchmark: decides every request of a CSV file with
// the small equivalent export policy, prints "id,allow|deny" per request to stdout and the
// timing to stderr. Build: GOPATH=/usr/share/gocode GO111MODULE=off go build.
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"time"

	casbin "github.com/casbin/casbin"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: casbin-peer MODEL POLICY REQUESTS.csv")
		os.Exit(2)
	}
	e, err := casbin.NewEnforcer(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	f, err := os.Open(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rows = rows[1:]
	out := make([]bool, len(rows))
	start := time.Now()
	for i, r := range rows {
		ok, err := e.Enforce(r[1], r[2], r[3])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out[i] = ok
	}
	el := time.Since(start).Seconds()
	w := bufio.NewWriter(os.Stdout)
	for i, r := range rows {
		d := "deny"
		if out[i] {
			d = "allow"
		}
		fmt.Fprintf(w, "%s,%s\n", r[0], d)
	}
	w.Flush()
	fmt.Fprintf(os.Stderr, "casbin decisions=%d seconds=%.4f per_sec=%.0f\n", len(rows), el, float64(len(rows))/el)
}
