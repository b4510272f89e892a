#include "session/session_file.h"

#include "io/checks/detached_data_file.h"
#include "io/image_io_error.h"
#include "io/image_writer.h"
#include "io/mask_reader.h"
#include "io/text_file.h"
#include "json/json_value.h"

#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace medclick {

namespace fs = std::filesystem;

namespace {

constexpr int kFormatVersion = 1;
constexpr std::uintmax_t kMaxSessionFileBytes = 64u << 20; // clicks as JSON: far below this

const json::Value& member(const json::Value& object, const std::string& key, json::Value::Kind kind, const std::string& path) {
  const auto it = object.object.find(key);
  if (it == object.object.end() || it->second.kind != kind) throw ImageIOError(path, "malformed session: '" + key + "' missing or of the wrong type");
  return it->second;
}

std::string optionalString(const json::Value& object, const std::string& key) {
  const auto it = object.object.find(key);
  return it != object.object.end() && it->second.kind == json::Value::Kind::String ? it->second.string : std::string();
}

} // namespace

std::string sessionMaskPath(const std::string& sessionPath) {
  fs::path p(sessionPath);
  return (p.parent_path() / (p.stem().string() + ".mask.nii.gz")).string();
}

void writeSessionFile(const std::string& path, const SavedSession& session) {
  const std::string maskPath = sessionMaskPath(path);
  writeMask(session.mask, maskPath);

  std::ostringstream json;
  json << std::setprecision(10);
  json << "{\n  \"format\": \"medclick-session\",\n  \"version\": " << kFormatVersion << ",\n"
       << "  \"image\": " << json::quote(session.imagePath) << ",\n"
       << "  \"dicomSeriesUid\": " << json::quote(session.dicomSeriesUid) << ",\n"
       << "  \"model\": " << json::quote(session.model) << ",\n"
       << "  \"weights\": " << json::quote(session.weightsPath) << ",\n"
       << "  \"mask\": " << json::quote(fs::path(maskPath).filename().string()) << ",\n"
       << "  \"clicks\": [";
  for (std::size_t s = 0; s < session.clicks.size(); ++s) {
    const auto& [slice, clicks] = session.clicks[s];
    json << (s ? ",\n" : "\n") << "    {\"axis\": " << static_cast<int>(slice.axis) << ", \"index\": " << slice.index << ", \"points\": [";
    for (std::size_t c = 0; c < clicks.size(); ++c)
      json << (c ? ", " : "") << "[" << clicks[c].x << ", " << clicks[c].y << ", " << (clicks[c].positive ? "true" : "false") << "]";
    json << "]}";
  }
  json << (session.clicks.empty() ? "],\n" : "\n  ],\n");
  json << "  \"volumeClicks\": [";
  for (std::size_t c = 0; c < session.volumeClicks.size(); ++c) {
    const VolumeClick& v = session.volumeClicks[c];
    json << (c ? ", " : "") << "[" << v.i << ", " << v.j << ", " << v.k << ", " << (v.positive ? "true" : "false") << "]";
  }
  json << "]\n}\n";
  writeTextAtomically(path, json.str());
}

SavedSession readSessionFile(const std::string& path) {
  const std::string text = readTextFile(path, kMaxSessionFileBytes, "MedClick session");
  json::Value root;
  try {
    root = json::parse(text);
  } catch (const json::ParseError& e) {
    throw ImageIOError(path, std::string("not a MedClick session (") + e.what() + ")");
  }
  if (root.kind != json::Value::Kind::Object || optionalString(root, "format") != "medclick-session")
    throw ImageIOError(path, "not a MedClick session file");
  const auto& version = member(root, "version", json::Value::Kind::Number, path);
  if (version.integer > kFormatVersion)
    throw ImageIOError(path, "written by a newer MedClick (session version " + std::to_string(version.integer) + ")");

  SavedSession session;
  session.imagePath = member(root, "image", json::Value::Kind::String, path).string;
  session.dicomSeriesUid = optionalString(root, "dicomSeriesUid");
  session.model = optionalString(root, "model");
  session.weightsPath = optionalString(root, "weights");
  for (const auto& entry : member(root, "clicks", json::Value::Kind::Array, path).array) {
    if (entry.kind != json::Value::Kind::Object) throw ImageIOError(path, "malformed session: a click entry is not an object");
    const auto axis = member(entry, "axis", json::Value::Kind::Number, path).integer;
    const auto index = member(entry, "index", json::Value::Kind::Number, path).integer;
    if (axis < 0 || axis > 2 || index < 0) throw ImageIOError(path, "malformed session: bad slice of a click");
    ClickList clicks;
    for (const auto& point : member(entry, "points", json::Value::Kind::Array, path).array) {
      if (point.kind != json::Value::Kind::Array || point.array.size() != 3 || point.array[0].kind != json::Value::Kind::Number ||
          point.array[1].kind != json::Value::Kind::Number || point.array[2].kind != json::Value::Kind::Bool)
        throw ImageIOError(path, "malformed session: a click is not [x, y, positive]");
      clicks.push_back({point.array[0].number, point.array[1].number, point.array[2].boolean});
    }
    session.clicks.push_back({SliceRef{static_cast<SliceAxis>(axis), static_cast<std::size_t>(index)}, clicks});
  }
  const auto volumeClicks = root.object.find("volumeClicks"); // absent in sessions of 2D work
  if (volumeClicks != root.object.end()) {
    if (volumeClicks->second.kind != json::Value::Kind::Array) throw ImageIOError(path, "malformed session: 'volumeClicks' is not a list");
    for (const auto& point : volumeClicks->second.array) {
      if (point.kind != json::Value::Kind::Array || point.array.size() != 4 || point.array[3].kind != json::Value::Kind::Bool ||
          point.array[0].kind != json::Value::Kind::Number || point.array[1].kind != json::Value::Kind::Number ||
          point.array[2].kind != json::Value::Kind::Number)
        throw ImageIOError(path, "malformed session: a 3D click is not [i, j, k, positive]");
      session.volumeClicks.push_back({point.array[0].number, point.array[1].number, point.array[2].number, point.array[3].boolean});
    }
  }
  const std::string maskName = member(root, "mask", json::Value::Kind::String, path).string;
  // The mask is written beside the session; a name that leads elsewhere is refused as detached data is.
  session.mask = readMask(detail::confinedDataFile(path, maskName));
  return session;
}

} // namespace medclick
