// CVSS v4.0 data from FIRST's specification (section 8, "CVSS v4.0 Scoring") and its reference
// calculator: the score of every macrovector, the highest-severity vectors of each EQ level and
// the depth of each EQ level. These are facts of the standard, transcribed, not derived; the
// algorithm that uses them is in cvss4.cpp. Attribution: NOTICE.
#include <array>
#include <string_view>

#include "severity/cvss_internal.h"

namespace hivesec::severity::detail {
namespace {

struct MacrovectorScore {
  std::string_view eqs;  // EQ1..EQ6, one digit each
  double score;
};

// The 270 macrovectors of CVSS v4.0 and their scores.
constexpr MacrovectorScore kMacrovectorScores[] = {
    {"000000", 10.0}, {"000001", 9.9},  {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5},
    {"000021", 9.2},  {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7},
    {"000120", 9.1},  {"000121", 8.1},  {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9},
    {"000211", 8.0},  {"000220", 8.1},  {"000221", 6.8}, {"001000", 9.8}, {"001001", 9.5},
    {"001010", 9.5},  {"001011", 9.2},  {"001020", 9.0}, {"001021", 8.4}, {"001100", 9.3},
    {"001101", 9.2},  {"001110", 8.9},  {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8},  {"001201", 8.0},  {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9},
    {"001221", 4.8},  {"002001", 9.2},  {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9},
    {"002111", 6.9},  {"002121", 5.0},  {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7},
    {"010000", 9.9},  {"010001", 9.7},  {"010010", 9.5}, {"010011", 9.2}, {"010020", 9.2},
    {"010021", 8.5},  {"010100", 9.5},  {"010101", 9.1}, {"010110", 9.0}, {"010111", 8.3},
    {"010120", 8.4},  {"010121", 7.1},  {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1},  {"010220", 7.2},  {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3},
    {"011010", 9.2},  {"011011", 8.5},  {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2},
    {"011101", 8.2},  {"011110", 8.0},  {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9},
    {"011200", 8.4},  {"011201", 7.0},  {"011210", 7.1}, {"011211", 5.2}, {"011220", 5.0},
    {"011221", 3.0},  {"012001", 8.6},  {"012011", 7.5}, {"012021", 5.2}, {"012101", 7.1},
    {"012111", 5.2},  {"012121", 2.9},  {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8},  {"100001", 9.5},  {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1},
    {"100021", 8.1},  {"100100", 9.4},  {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4},
    {"100120", 7.7},  {"100121", 6.4},  {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4},
    {"100211", 6.3},  {"100220", 6.3},  {"100221", 4.9}, {"101000", 9.4}, {"101001", 8.9},
    {"101010", 8.8},  {"101011", 7.7},  {"101020", 7.6}, {"101021", 6.7}, {"101100", 8.6},
    {"101101", 7.6},  {"101110", 7.4},  {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2},  {"101201", 5.7},  {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2},
    {"101221", 2.5},  {"102001", 8.3},  {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5},
    {"102111", 5.8},  {"102121", 2.6},  {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3},
    {"110000", 9.5},  {"110001", 9.0},  {"110010", 8.8}, {"110011", 7.6}, {"110020", 7.6},
    {"110021", 7.0},  {"110100", 9.0},  {"110101", 7.7}, {"110110", 7.5}, {"110111", 6.2},
    {"110120", 6.1},  {"110121", 5.3},  {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9},  {"110220", 5.2},  {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8},
    {"111010", 7.6},  {"111011", 6.7},  {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4},
    {"111101", 5.9},  {"111110", 5.7},  {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3},
    {"111200", 6.1},  {"111201", 5.2},  {"111210", 5.7}, {"111211", 2.9}, {"111220", 2.4},
    {"111221", 1.6},  {"112001", 7.1},  {"112011", 5.9}, {"112021", 3.0}, {"112101", 5.8},
    {"112111", 2.6},  {"112121", 1.5},  {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3},  {"200001", 8.7},  {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5},
    {"200021", 5.8},  {"200100", 8.6},  {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1},
    {"200120", 5.6},  {"200121", 3.4},  {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2},
    {"200211", 4.0},  {"200220", 4.0},  {"200221", 2.2}, {"201000", 8.5}, {"201001", 7.5},
    {"201010", 7.4},  {"201011", 5.5},  {"201020", 6.2}, {"201021", 5.1}, {"201100", 7.2},
    {"201101", 5.7},  {"201110", 5.5},  {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3},  {"201201", 3.6},  {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9},
    {"201221", 0.8},  {"202001", 6.4},  {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7},
    {"202111", 2.1},  {"202121", 1.1},  {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4},
    {"210000", 8.8},  {"210001", 7.5},  {"210010", 7.3}, {"210011", 5.3}, {"210020", 6.0},
    {"210021", 5.0},  {"210100", 7.3},  {"210101", 5.5}, {"210110", 5.9}, {"210111", 4.0},
    {"210120", 4.1},  {"210121", 2.0},  {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2},  {"210220", 2.0},  {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5},
    {"211010", 5.8},  {"211011", 4.5},  {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1},
    {"211101", 5.1},  {"211110", 4.8},  {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9},
    {"211200", 4.6},  {"211201", 1.8},  {"211210", 1.7}, {"211211", 0.7}, {"211220", 0.8},
    {"211221", 0.2},  {"212001", 5.3},  {"212011", 2.4}, {"212021", 1.4}, {"212101", 2.4},
    {"212111", 1.2},  {"212121", 0.5},  {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
};

// Dense index over the digit ranges EQ1 0-2, EQ2 0-1, EQ3 0-2, EQ4 0-2, EQ5 0-2, EQ6 0-1.
constexpr int kEqRange[6] = {3, 2, 3, 3, 3, 2};
constexpr int kSlots = 3 * 2 * 3 * 3 * 3 * 2;

constexpr int slot_of(const int (&eq)[6]) {
  int slot = 0;
  for (int i = 0; i < 6; ++i) slot = slot * kEqRange[i] + eq[i];
  return slot;
}

constexpr std::array<double, kSlots> make_dense_table() {
  std::array<double, kSlots> dense{};
  for (double& d : dense) d = -1;
  for (const MacrovectorScore& m : kMacrovectorScores) {
    int eq[6];
    for (int i = 0; i < 6; ++i) eq[i] = m.eqs[i] - '0';
    dense[slot_of(eq)] = m.score;
  }
  return dense;
}
constexpr std::array<double, kSlots> kDense = make_dense_table();

// Highest-severity vectors per EQ level. EQ5's is the E value itself and needs no table.
constexpr std::string_view kEq1Max0[] = {"AV:N/PR:N/UI:N"};
constexpr std::string_view kEq1Max1[] = {"AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"};
constexpr std::string_view kEq1Max2[] = {"AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"};
constexpr std::string_view kEq2Max0[] = {"AC:L/AT:N"};
constexpr std::string_view kEq2Max1[] = {"AC:H/AT:N", "AC:L/AT:P"};
constexpr std::string_view kEq3Eq6Max00[] = {"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"};
constexpr std::string_view kEq3Eq6Max01[] = {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H",
                                             "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"};
constexpr std::string_view kEq3Eq6Max10[] = {"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H",
                                             "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"};
constexpr std::string_view kEq3Eq6Max11[] = {
    "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
    "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
    "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"};
constexpr std::string_view kEq3Eq6Max21[] = {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"};
constexpr std::string_view kEq4Max0[] = {"SC:H/SI:S/SA:S"};
constexpr std::string_view kEq4Max1[] = {"SC:H/SI:H/SA:H"};
constexpr std::string_view kEq4Max2[] = {"SC:L/SI:L/SA:L"};

// Depth of each EQ level ("max severity"), in steps of 0.1.
constexpr int kEq1Depth[3] = {1, 4, 5};
constexpr int kEq2Depth[2] = {1, 2};
constexpr int kEq3Eq6Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};  // EQ3=2, EQ6=0 does not exist
constexpr int kEq4Depth[3] = {6, 5, 4};

}  // namespace

double cvss4_macrovector_score(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
  const int eq[6] = {eq1, eq2, eq3, eq4, eq5, eq6};
  for (int i = 0; i < 6; ++i) {
    if (eq[i] < 0 || eq[i] >= kEqRange[i]) return -1;
  }
  return kDense[slot_of(eq)];
}

int cvss4_macrovector_count() { return static_cast<int>(std::size(kMacrovectorScores)); }

Cvss4MaxVectors cvss4_max_vectors_eq1(int eq1) {
  switch (eq1) {
    case 0:
      return Cvss4MaxVectors(kEq1Max0);
    case 1:
      return Cvss4MaxVectors(kEq1Max1);
    case 2:
      return Cvss4MaxVectors(kEq1Max2);
  }
  return {};
}

Cvss4MaxVectors cvss4_max_vectors_eq2(int eq2) {
  switch (eq2) {
    case 0:
      return Cvss4MaxVectors(kEq2Max0);
    case 1:
      return Cvss4MaxVectors(kEq2Max1);
  }
  return {};
}

Cvss4MaxVectors cvss4_max_vectors_eq3eq6(int eq3, int eq6) {
  switch (eq3 * 10 + eq6) {
    case 0:
      return Cvss4MaxVectors(kEq3Eq6Max00);
    case 1:
      return Cvss4MaxVectors(kEq3Eq6Max01);
    case 10:
      return Cvss4MaxVectors(kEq3Eq6Max10);
    case 11:
      return Cvss4MaxVectors(kEq3Eq6Max11);
    case 21:
      return Cvss4MaxVectors(kEq3Eq6Max21);
  }
  return {};
}

Cvss4MaxVectors cvss4_max_vectors_eq4(int eq4) {
  switch (eq4) {
    case 0:
      return Cvss4MaxVectors(kEq4Max0);
    case 1:
      return Cvss4MaxVectors(kEq4Max1);
    case 2:
      return Cvss4MaxVectors(kEq4Max2);
  }
  return {};
}

int cvss4_max_severity_eq1(int eq1) { return eq1 >= 0 && eq1 < 3 ? kEq1Depth[eq1] : 0; }
int cvss4_max_severity_eq2(int eq2) { return eq2 >= 0 && eq2 < 2 ? kEq2Depth[eq2] : 0; }
int cvss4_max_severity_eq3eq6(int eq3, int eq6) {
  return eq3 >= 0 && eq3 < 3 && eq6 >= 0 && eq6 < 2 ? kEq3Eq6Depth[eq3][eq6] : 0;
}
int cvss4_max_severity_eq4(int eq4) { return eq4 >= 0 && eq4 < 3 ? kEq4Depth[eq4] : 0; }

}  // namespace hivesec::severity::detail
