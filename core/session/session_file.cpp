#include "session/session_file.h"

#include "io/checks/detached_data_file.h"
#include "io/image_io_error.h"
#include "io/image_writer.h"
#include "io/label_map_file.h"
#include "io/mask_reader.h"
#include "io/text_file.h"
#include "json/json_value.h"
#include "segments/segment_list.h"

#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace medclick {

namespace fs = std::filesystem;

namespace {

constexpr int kFormatVersion = 2;
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

void writeClicks(std::ostringstream& json, const SegmentRecord& record, const std::string& indent) {
  json << indent << "\"clicks\": [";
  for (std::size_t s = 0; s < record.clicks.size(); ++s) {
    const auto& [slice, clicks] = record.clicks[s];
    json << (s ? ",\n" : "\n") << indent << "  {\"axis\": " << static_cast<int>(slice.axis) << ", \"index\": " << slice.index
         << ", \"points\": [";
    for (std::size_t c = 0; c < clicks.size(); ++c)
      json << (c ? ", " : "") << "[" << clicks[c].x << ", " << clicks[c].y << ", " << (clicks[c].positive ? "true" : "false") << "]";
    json << "]}";
  }
  json << (record.clicks.empty() ? "],\n" : "\n" + indent + "],\n");
  json << indent << "\"volumeClicks\": [";
  for (std::size_t c = 0; c < record.volumeClicks.size(); ++c) {
    const VolumeClick& v = record.volumeClicks[c];
    json << (c ? ", " : "") << "[" << v.i << ", " << v.j << ", " << v.k << ", " << (v.positive ? "true" : "false") << "]";
  }
  json << "]";
}

// A segment's (or a version-1 file's) "clicks" and "volumeClicks".
void readClicks(const json::Value& object, SegmentRecord& record, const std::string& path) {
  for (const auto& entry : member(object, "clicks", json::Value::Kind::Array, path).array) {
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
    record.clicks.push_back({SliceRef{static_cast<SliceAxis>(axis), static_cast<std::size_t>(index)}, clicks});
  }
  const auto volumeClicks = object.object.find("volumeClicks"); // absent in sessions of 2D work
  if (volumeClicks == object.object.end()) return;
  if (volumeClicks->second.kind != json::Value::Kind::Array) throw ImageIOError(path, "malformed session: 'volumeClicks' is not a list");
  for (const auto& point : volumeClicks->second.array) {
    if (point.kind != json::Value::Kind::Array || point.array.size() != 4 || point.array[3].kind != json::Value::Kind::Bool ||
        point.array[0].kind != json::Value::Kind::Number || point.array[1].kind != json::Value::Kind::Number ||
        point.array[2].kind != json::Value::Kind::Number)
      throw ImageIOError(path, "malformed session: a 3D click is not [i, j, k, positive]");
    record.volumeClicks.push_back({point.array[0].number, point.array[1].number, point.array[2].number, point.array[3].boolean});
  }
}

bool optionalBool(const json::Value& object, const std::string& key, bool otherwise, const std::string& path) {
  const auto it = object.object.find(key);
  if (it == object.object.end()) return otherwise;
  if (it->second.kind != json::Value::Kind::Bool) throw ImageIOError(path, "malformed session: '" + key + "' is not true or false");
  return it->second.boolean;
}

Segment readSegment(const json::Value& entry, const std::string& path) {
  if (entry.kind != json::Value::Kind::Object) throw ImageIOError(path, "malformed session: a segment is not an object");
  const auto& label = member(entry, "label", json::Value::Kind::Number, path);
  if (!label.numberIsInteger || label.integer < 1 || label.integer > 65535)
    throw ImageIOError(path, "malformed session: a segment's label is not 1..65535");
  Segment segment;
  segment.label = static_cast<Label>(label.integer);
  segment.name = member(entry, "name", json::Value::Kind::String, path).string;
  const auto& colour = member(entry, "colour", json::Value::Kind::Array, path).array;
  if (colour.size() != 3) throw ImageIOError(path, "malformed session: a segment's colour is not [r, g, b]");
  for (std::size_t c = 0; c < 3; ++c) {
    if (colour[c].kind != json::Value::Kind::Number || !colour[c].numberIsInteger || colour[c].integer < 0 || colour[c].integer > 255)
      throw ImageIOError(path, "malformed session: a segment's colour is not [r, g, b] in 0..255");
    segment.colour[c] = static_cast<std::uint8_t>(colour[c].integer);
  }
  const auto opacity = entry.object.find("opacity");
  if (opacity != entry.object.end()) {
    if (opacity->second.kind != json::Value::Kind::Number || !(opacity->second.number >= 0 && opacity->second.number <= 1))
      throw ImageIOError(path, "malformed session: a segment's opacity is not 0..1");
    segment.opacity = opacity->second.number;
  }
  segment.visible = optionalBool(entry, "visible", true, path);
  segment.meshVisible = optionalBool(entry, "meshVisible", true, path);
  segment.locked = optionalBool(entry, "locked", false, path);
  return segment;
}

} // namespace

std::string sessionMaskPath(const std::string& sessionPath) {
  fs::path p(sessionPath);
  return (p.parent_path() / (p.stem().string() + ".mask.nii.gz")).string();
}

void writeSessionFile(const std::string& path, const SavedSession& session) {
  const std::string maskPath = sessionMaskPath(path);
  std::vector<Segment> segments;
  for (const SegmentRecord& record : session.segments) segments.push_back(record.segment);
  writeLabelMap(session.mask, segments, maskPath); // with its label description: ITK-SNAP users see the names

  std::ostringstream json;
  json << std::setprecision(10);
  json << "{\n  \"format\": \"medclick-session\",\n  \"version\": " << kFormatVersion << ",\n"
       << "  \"image\": " << json::quote(session.imagePath) << ",\n"
       << "  \"dicomSeriesUid\": " << json::quote(session.dicomSeriesUid) << ",\n"
       << "  \"model\": " << json::quote(session.model) << ",\n"
       << "  \"weights\": " << json::quote(session.weightsPath) << ",\n"
       << "  \"mask\": " << json::quote(fs::path(maskPath).filename().string()) << ",\n"
       << "  \"activeSegment\": " << session.activeSegment << ",\n"
       << "  \"segments\": [";
  for (std::size_t s = 0; s < session.segments.size(); ++s) {
    const SegmentRecord& record = session.segments[s];
    const Segment& g = record.segment;
    json << (s ? ",\n" : "\n") << "    {\n      \"label\": " << g.label << ", \"name\": " << json::quote(g.name) << ", \"colour\": ["
         << int(g.colour[0]) << ", " << int(g.colour[1]) << ", " << int(g.colour[2]) << "], \"opacity\": " << g.opacity
         << ", \"visible\": " << (g.visible ? "true" : "false") << ", \"meshVisible\": " << (g.meshVisible ? "true" : "false")
         << ", \"locked\": " << (g.locked ? "true" : "false") << ",\n";
    writeClicks(json, record, "      ");
    json << "\n    }";
  }
  json << (session.segments.empty() ? "]\n}\n" : "\n  ]\n}\n");
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
  if (version.integer < 2) { // one segment, label 1, its clicks at the top
    SegmentRecord record{SegmentList::makeDefault(1), {}, {}};
    readClicks(root, record, path);
    session.segments.push_back(std::move(record));
  } else {
    const auto& active = member(root, "activeSegment", json::Value::Kind::Number, path);
    if (active.integer < 0 || active.integer > 65535) throw ImageIOError(path, "malformed session: 'activeSegment' is not a label");
    session.activeSegment = static_cast<Label>(active.integer);
    for (const auto& entry : member(root, "segments", json::Value::Kind::Array, path).array) {
      SegmentRecord record{readSegment(entry, path), {}, {}};
      for (const SegmentRecord& other : session.segments)
        if (other.segment.label == record.segment.label)
          throw ImageIOError(path, "malformed session: the label " + std::to_string(record.segment.label) + " is two segments");
      readClicks(entry, record, path);
      session.segments.push_back(std::move(record));
    }
    bool activeFound = session.activeSegment == 0;
    for (const SegmentRecord& record : session.segments) activeFound = activeFound || record.segment.label == session.activeSegment;
    if (!activeFound) throw ImageIOError(path, "malformed session: the active segment is not among the segments");
  }
  const std::string maskName = member(root, "mask", json::Value::Kind::String, path).string;
  // The mask is written beside the session; a name that leads elsewhere is refused as detached data is.
  session.mask = readMask(detail::confinedDataFile(path, maskName));
  return session;
}

} // namespace medclick
