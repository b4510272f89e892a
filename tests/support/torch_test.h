#pragma once
// A minimal test runner for the LibTorch-only tests: the torch-only configuration (e.g. on a CUDA
// machine with nothing but PyTorch's LibTorch) has no Qt Test. Each test is a function; a failed
// check throws; main() runs them all (or those named on the command line) and ends with the line
// "N passed, N failed" that ctest's log shows.

#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace medclick::test {

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Case {
  std::string name;
  std::function<void()> body;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

struct Registrar {
  Registrar(const char* name, std::function<void()> body) { registry().push_back({name, std::move(body)}); }
};

inline std::string where(const char* file, int line) { return std::string(file) + ":" + std::to_string(line) + ": "; }

inline int runAll(int argc, char** argv) {
  int passed = 0, failed = 0;
  for (const auto& testCase : registry()) {
    bool selected = argc <= 1;
    for (int i = 1; i < argc; ++i) selected = selected || testCase.name == argv[i];
    if (!selected) continue;
    try {
      testCase.body();
      ++passed;
      std::cout << "PASS " << testCase.name << "\n";
    } catch (const std::exception& e) {
      ++failed;
      std::cout << "FAIL " << testCase.name << ": " << e.what() << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}

} // namespace medclick::test

#define MEDCLICK_TEST(name)                                                         \
  static void name();                                                               \
  static const medclick::test::Registrar name##_registrar(#name, name);             \
  static void name()

#define EXPECT(condition)                                                                      \
  do {                                                                                        \
    if (!(condition)) throw medclick::test::Failure(medclick::test::where(__FILE__, __LINE__) + #condition); \
  } while (0)

#define EXPECT_NEAR(actual, expected, tolerance)                                                   \
  do {                                                                                            \
    const double a_ = (actual), e_ = (expected);                                                  \
    if (!(std::abs(a_ - e_) <= (tolerance))) {                                                    \
      std::ostringstream m_;                                                                      \
      m_ << medclick::test::where(__FILE__, __LINE__) << #actual << " = " << a_ << ", expected " << e_ \
         << " +- " << (tolerance);                                                                \
      throw medclick::test::Failure(m_.str());                                                    \
    }                                                                                             \
  } while (0)

// The statement must throw ExceptionType whose what() contains the text.
#define EXPECT_THROWS_WITH(ExceptionType, statement, text)                                              \
  do {                                                                                                 \
    bool thrown_ = false;                                                                              \
    try {                                                                                              \
      statement;                                                                                       \
    } catch (const ExceptionType& e_) {                                                                \
      thrown_ = true;                                                                                  \
      if (std::string(e_.what()).find(text) == std::string::npos)                                      \
        throw medclick::test::Failure(medclick::test::where(__FILE__, __LINE__) + "message \"" + e_.what() + \
                                      "\" lacks \"" + (text) + "\"");                                  \
    }                                                                                                  \
    if (!thrown_) throw medclick::test::Failure(medclick::test::where(__FILE__, __LINE__) + #statement " did not throw"); \
  } while (0)

#define MEDCLICK_TEST_MAIN() \
  int main(int argc, char** argv) { return medclick::test::runAll(argc, argv); }
