#include "cli/flags.h"

#include <gtest/gtest.h>

namespace tollgate::cli {
namespace {

const std::vector<FlagSpec> kSpecs = {{"as-of", true, "date", "DATE", false},
                                      {"all", false, "all items", "", false},
                                      {"lists", true, "", "DIR", true}};

TEST(FlagsTest, ParsesForms) {
  auto f =
      Flags::Parse({"H200", "--as-of", "2026-02-01", "--all", "--lists=a", "--lists", "b"}, kSpecs);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->positional(), std::vector<std::string>{"H200"});
  EXPECT_EQ(*f->Get("as-of"), "2026-02-01");
  EXPECT_TRUE(f->Has("all"));
  EXPECT_EQ(f->GetAll("lists"), (std::vector<std::string>{"a", "b"}));
}

TEST(FlagsTest, Errors) {
  EXPECT_EQ(Flags::Parse({"--nope"}, kSpecs).status().message(),
            "unknown option '--nope' (see --help)");
  EXPECT_EQ(Flags::Parse({"--as-of"}, kSpecs).status().message(),
            "option '--as-of' needs a value (DATE)");
  EXPECT_EQ(Flags::Parse({"--all=1"}, kSpecs).status().message(), "option '--all' takes no value");
  EXPECT_EQ(Flags::Parse({"--as-of", "a", "--as-of", "b"}, kSpecs).status().message(),
            "option '--as-of' given more than once");
  EXPECT_TRUE(Flags::Parse({"--help"}, kSpecs)->help());
  EXPECT_EQ(Flags::Parse({"--", "--all"}, kSpecs)->positional(), std::vector<std::string>{"--all"});
}

}  // namespace
}  // namespace tollgate::cli
