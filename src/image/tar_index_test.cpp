#include "image/tar_index.h"

#include <gtest/gtest.h>

#include <cstring>

#include "image/testing_images.h"

namespace hivesec::image::detail {
namespace {

using testing::make_tar;

// A raw ustar header with a valid checksum.
std::string header(const std::string& name, const std::string& size_field, char type,
                   const std::string& prefix = "") {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 100));
  std::memcpy(h.data() + 100, "0000644", 7);
  std::memcpy(h.data() + 124, size_field.data(), std::min<size_t>(size_field.size(), 12));
  h[156] = type;
  std::memcpy(h.data() + 257,
              "ustar\0"
              "00",
              8);
  std::memcpy(h.data() + 345, prefix.data(), std::min<size_t>(prefix.size(), 155));
  unsigned sum = 0;
  for (int i = 0; i < 512; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  snprintf(h.data() + 148, 8, "%06o", sum);
  h[155] = ' ';
  return h;
}

std::string pad(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

std::string octal(size_t n) {
  char buf[13];
  snprintf(buf, sizeof buf, "%011zo", n);
  return buf;
}

TEST(TarIndexTest, IndexesLibarchiveOutputIncludingLongNames) {
  std::string long_name = std::string(150, 'a') + "/" + std::string(120, 'b') + "/file";
  std::string tar = make_tar({{"dir", "", '5'},
                              {"./dir/x.txt", "hello"},
                              {long_name, std::string(1000, 'q')},
                              {"dir/x.txt", "second wins"}});
  auto idx = index_tar(buffer_tar_reader(tar));
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  EXPECT_EQ(idx->size(), 2u);
  ASSERT_TRUE(idx->count(long_name));
  const TarEntry& e = idx->at(long_name);
  EXPECT_EQ(tar.substr(e.offset, e.size), std::string(1000, 'q'));
  const TarEntry& x = idx->at("dir/x.txt");
  EXPECT_EQ(tar.substr(x.offset, x.size), "second wins");
}

TEST(TarIndexTest, GnuLongNamePaxSizeBase256AndPrefix) {
  std::string gnu_name = std::string(200, 'n');
  std::string pax_rec = "30 path=pax/overridden/name\n";
  pax_rec = std::to_string(pax_rec.size()) + pax_rec.substr(2);
  std::string b256(12, '\0');
  b256[0] = static_cast<char>(0x80);
  b256[11] = 3;
  std::string tar = header("././@LongLink", octal(gnu_name.size() + 1), 'L') +
                    pad(gnu_name + '\0') + header("short", octal(2), '0') + pad("hi") +
                    header("PaxHeaders/x", octal(pax_rec.size()), 'x') + pad(pax_rec) +
                    header("ignored", octal(4), '0') + pad("data") + header("big", b256, '0') +
                    pad("abc") + header("file", octal(1), '0', "some/prefix") + pad("z") +
                    header("hard", octal(0), '1') + std::string(1024, '\0');
  // Hard link target lives in the linkname field.
  std::string& hard = tar;
  size_t hard_at = tar.size() - 1024 - 512;
  std::string h = header("hard", octal(0), '1');
  std::string with_link = h;
  std::memcpy(with_link.data() + 157, "big", 3);
  unsigned sum = 0;
  for (int i = 0; i < 512; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(with_link[i]);
  }
  snprintf(with_link.data() + 148, 8, "%06o", sum);
  with_link[155] = ' ';
  hard.replace(hard_at, 512, with_link);

  auto idx = index_tar(buffer_tar_reader(tar));
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  auto content = [&](const std::string& n) {
    const TarEntry& e = idx->at(n);
    return tar.substr(e.offset, e.size);
  };
  EXPECT_EQ(content(gnu_name), "hi");
  EXPECT_EQ(content("pax/overridden/name"), "data");
  EXPECT_EQ(content("big"), "abc");
  EXPECT_EQ(content("some/prefix/file"), "z");
  EXPECT_EQ(content("hard"), "abc");
  EXPECT_FALSE(idx->count("ignored"));
}

TEST(TarIndexTest, HostileInputs) {
  std::string good = make_tar({{"a", "hello"}});
  std::string bad_sum = good;
  bad_sum[0] = 'b';
  std::string neg(12, '\xff');
  struct Case {
    std::string name;
    std::string data;
    Errc code;
  } cases[] = {
      {"empty", "", Errc::kCorrupt},
      {"short", "abc", Errc::kCorrupt},
      {"bad checksum", bad_sum, Errc::kCorrupt},
      {"truncated data", good.substr(0, 512 + 2), Errc::kCorrupt},
      {"size beyond end", header("a", octal(1 << 30), '0') + std::string(1024, '\0'),
       Errc::kCorrupt},
      {"negative base-256 size", header("a", neg, '0') + std::string(1024, '\0'), Errc::kCorrupt},
      {"garbage size", header("a", "12x45", '0') + std::string(1024, '\0'), Errc::kCorrupt},
      {"escaping name",
       header("../../etc/passwd", octal(1), '0') + pad("x") + std::string(1024, '\0'),
       Errc::kCorrupt},
      {"huge long name", header("L", octal(1 << 20), 'L') + std::string((1 << 20) + 1024, 'x'),
       Errc::kLimit},
      {"bad pax", header("x", octal(10), 'x') + pad("99 path=x\n") + std::string(1024, '\0'),
       Errc::kCorrupt},
      {"pax zero length", header("x", octal(6), 'x') + pad("0 a=b\n") + std::string(1024, '\0'),
       Errc::kCorrupt},
      {"gzip", make_tar({{"a", "b"}}, "gzip"), Errc::kUnsupported},
      {"zstd", make_tar({{"a", "b"}}, "zstd"), Errc::kUnsupported},
  };
  for (const auto& c : cases) {
    auto idx = index_tar(buffer_tar_reader(c.data));
    ASSERT_FALSE(idx.ok()) << c.name;
    EXPECT_EQ(idx.error().code, c.code) << c.name << ": " << idx.error().message;
  }
}

TEST(TarIndexTest, EntryCountIsBounded) {
  std::string one = header("f", octal(0), '0');
  std::string tar;
  tar.reserve((kMaxTarEntries + 2) * 512);
  for (size_t i = 0; i <= kMaxTarEntries; ++i) tar += one;
  tar += std::string(1024, '\0');
  auto idx = index_tar(buffer_tar_reader(tar));
  ASSERT_FALSE(idx.ok());
  EXPECT_EQ(idx.error().code, Errc::kLimit);
}

}  // namespace
}  // namespace hivesec::image::detail
