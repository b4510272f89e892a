#pragma once
// The small JSON subset MedClick's files use (safetensors headers, session files: objects, arrays,
// strings, numbers), parsed strictly and with a bounded depth. inference/ may depend on LibTorch and
// the standard library only, hence no JSON library.

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace medclick::json {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  bool numberIsInteger = false;
  std::int64_t integer = 0;
  std::string string;
  std::vector<Value> array;
  std::map<std::string, Value> object;
};

Value parse(const std::string& text);        // throws ParseError with the offset of the problem
std::string quote(const std::string& text);   // a JSON string literal, escaped

} // namespace medclick::json
