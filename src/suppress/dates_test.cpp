#include "suppress/dates.h"

#include <gtest/gtest.h>

namespace hivesec::suppress {
namespace {

TEST(SuppressDates, ParseDate) {
  EXPECT_EQ(parse_date("1970-01-01"), 0);
  EXPECT_EQ(parse_date("1970-01-02"), 1);
  EXPECT_EQ(parse_date("2000-03-01").value() - parse_date("2000-02-28").value(), 2);  // leap
  EXPECT_EQ(parse_date("2100-03-01").value() - parse_date("2100-02-28").value(), 1);  // not
  EXPECT_TRUE(parse_date("2024-02-29"));
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-1-01",
                          "2024-01-01x", "24-01-01", "", "2024/01/01", "2024-04-31"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
}

TEST(SuppressDates, ParseRfc3339) {
  auto a = parse_rfc3339("2023-01-01T10:00:00+02:00");
  auto b = parse_rfc3339("2023-01-01T08:00:00Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  auto c = parse_rfc3339("2023-01-08T18:02:03.647787998-06:00");
  auto d = parse_rfc3339("2023-01-09T00:02:03.647787999Z");
  ASSERT_TRUE(c && d);
  EXPECT_LT(*c, *d);
  EXPECT_EQ(c->nanos, 647787998);
  EXPECT_TRUE(parse_rfc3339("2023-01-01t08:00:00z"));
  EXPECT_TRUE(parse_rfc3339("2023-01-01 08:00:00Z"));
  for (const char* bad :
       {"2023-01-01", "2023-01-01T08:00Z", "2023-01-01T08:00:00", "2023-01-01T25:00:00Z",
        "2023-01-01T08:00:00.Z", "2023-01-01T08:00:00+0200", "2023-01-01T08:00:00Zjunk",
        "2023-02-30T08:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(SuppressDates, TodayIsADate) { EXPECT_TRUE(parse_date(today_utc())); }

}  // namespace
}  // namespace hivesec::suppress
