// Saved sessions and autosave: a session written and read back gives the same image path, model,
// segments with their clicks and label map (on the image's oblique grid); a version-1 file (one
// segment's clicks) still opens; broken session files are refused with a message
// naming the file; the autosave store saves, reports, recovers and discards.

#include "io/image_io_error.h"
#include "io/label_map_file.h"
#include "session/annotation_session.h"
#include "session/autosave_store.h"
#include "segments/label_description.h"
#include "segments/segment_list.h"
#include "session/session_file.h"
#include "support/test_images.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace medclick;

namespace {

SavedSession exampleSession() {
  SavedSession s;
  s.imagePath = "/data/case 7/t1ce.nii.gz"; // a space and a path separator must survive the JSON
  s.dicomSeriesUid = "1.2.840.113619.2.55";
  s.model = "ikan";
  s.weightsPath = "/home/dr \"quote\"/ikan-finetuned.safetensors";
  s.mask = LabelMask(testing::obliqueGeometry3d());
  s.mask.labels()[3] = 1;
  s.mask.labels()[100] = 1;
  s.mask.labels()[101] = 300; // a uint16 label
  SegmentRecord liver{SegmentList::makeDefault(1), {}, {}};
  liver.segment.name = "Liver \"left\" lobe";
  liver.clicks = {{SliceRef{SliceAxis::Axial, 2}, {{1.5, 2.25, true}, {3, 4, false}}},
                  {SliceRef{SliceAxis::Sagittal, 6}, {{0, 0, true}}}};
  liver.volumeClicks = {{3.5, 2, 4, true}, {0, 5, 1, false}};
  SegmentRecord lesion{SegmentList::makeDefault(300), {}, {}};
  lesion.segment.colour = {12, 34, 56};
  lesion.segment.opacity = 0.25;
  lesion.segment.visible = false;
  lesion.segment.locked = true;
  lesion.clicks = {{SliceRef{SliceAxis::Coronal, 1}, {{2, 1, true}}}};
  s.segments = {liver, lesion};
  s.activeSegment = 300;
  return s;
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

} // namespace

class SessionFileTest : public QObject {
  Q_OBJECT

private slots:
  void session_round_trip_keeps_everything() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("work.medclick").toStdString();
    const SavedSession written = exampleSession();
    writeSessionFile(path, written);
    QVERIFY(std::filesystem::is_regular_file(dir.filePath("work.mask.nii.gz").toStdString()));

    const SavedSession read = readSessionFile(path);
    QCOMPARE(read.imagePath, written.imagePath);
    QCOMPARE(read.dicomSeriesUid, written.dicomSeriesUid);
    QCOMPARE(read.model, written.model);
    QCOMPARE(read.weightsPath, written.weightsPath);
    QVERIFY(read.mask.geometry().sameGridAs(written.mask.geometry()));
    QVERIFY(read.mask.labels() == written.mask.labels());
    QCOMPARE(read.activeSegment, Label(300));
    QCOMPARE(read.segments.size(), written.segments.size());
    for (std::size_t n = 0; n < read.segments.size(); ++n) {
      const SegmentRecord &r = read.segments[n], &w = written.segments[n];
      QCOMPARE(r.segment.label, w.segment.label);
      QCOMPARE(r.segment.name, w.segment.name);
      QVERIFY(r.segment.colour == w.segment.colour);
      QCOMPARE(r.segment.opacity, w.segment.opacity);
      QCOMPARE(r.segment.visible, w.segment.visible);
      QCOMPARE(r.segment.meshVisible, w.segment.meshVisible);
      QCOMPARE(r.segment.locked, w.segment.locked);
      QCOMPARE(r.volumeClicks.size(), w.volumeClicks.size());
      for (std::size_t c = 0; c < r.volumeClicks.size(); ++c) {
        QCOMPARE(r.volumeClicks[c].i, w.volumeClicks[c].i);
        QCOMPARE(r.volumeClicks[c].j, w.volumeClicks[c].j);
        QCOMPARE(r.volumeClicks[c].k, w.volumeClicks[c].k);
        QCOMPARE(r.volumeClicks[c].positive, w.volumeClicks[c].positive);
      }
      QCOMPARE(r.clicks.size(), w.clicks.size());
      for (std::size_t s = 0; s < r.clicks.size(); ++s) {
        QVERIFY(r.clicks[s].first == w.clicks[s].first);
        QCOMPARE(r.clicks[s].second.size(), w.clicks[s].second.size());
        for (std::size_t c = 0; c < r.clicks[s].second.size(); ++c) {
          QCOMPARE(r.clicks[s].second[c].x, w.clicks[s].second[c].x);
          QCOMPARE(r.clicks[s].second[c].y, w.clicks[s].second[c].y);
          QCOMPARE(r.clicks[s].second[c].positive, w.clicks[s].second[c].positive);
        }
      }
    }
    // The label description beside the map names the segments for ITK-SNAP.
    const auto described = readLabelDescription(labelDescriptionPathFor(sessionMaskPath(path)));
    QCOMPARE(described.size(), std::size_t(2));
    QCOMPARE(described[1].label, Label(300));
    QVERIFY(described[1].colour == (std::array<std::uint8_t, 3>{12, 34, 56}));
  }

  void a_version_1_session_opens_as_one_segment() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("old.medclick").toStdString();
    SavedSession s = exampleSession();
    s.mask.labels()[101] = 0;
    writeSessionFile(path, s); // for its mask file; the JSON is replaced by what version 1 wrote
    writeText(path, "{\"format\": \"medclick-session\", \"version\": 1, \"image\": \"/a.nii\", \"mask\": \"old.mask.nii.gz\",\n"
                    " \"clicks\": [{\"axis\": 0, \"index\": 2, \"points\": [[1.5, 2, true]]}], \"volumeClicks\": [[1, 2, 3, false]]}");
    const SavedSession read = readSessionFile(path);
    QCOMPARE(read.segments.size(), std::size_t(1));
    QCOMPARE(read.segments[0].segment.label, Label(1));
    QCOMPARE(read.segments[0].clicks.size(), std::size_t(1));
    QCOMPARE(read.segments[0].clicks[0].second[0].x, 1.5);
    QCOMPARE(read.segments[0].volumeClicks.size(), std::size_t(1));
    QVERIFY(!read.segments[0].volumeClicks[0].positive);
    QCOMPARE(read.mask.countNonZero(), std::size_t(2));
  }

  void malformed_segments_are_refused() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("bad.medclick").toStdString();
    writeSessionFile(path, exampleSession());
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto refusedWith = [&](const std::string& from, const std::string& to, const QString& fragment) {
      std::string edited = text;
      const auto at = edited.find(from);
      QVERIFY2(at != std::string::npos, from.c_str());
      edited.replace(at, from.size(), to);
      writeText(path, edited);
      try {
        readSessionFile(path);
        QFAIL(qPrintable("accepted: " + QString::fromStdString(to)));
      } catch (const ImageIOError& e) {
        QVERIFY2(QString(e.what()).contains(fragment), e.what());
      }
    };
    refusedWith("\"label\": 300", "\"label\": 1", "two segments");
    refusedWith("\"label\": 300", "\"label\": 70000", "1..65535");
    refusedWith("\"label\": 300", "\"label\": 2.5", "1..65535");
    refusedWith("\"activeSegment\": 300", "\"activeSegment\": 7", "active segment");
    refusedWith("[12, 34, 56]", "[12, 34, 256]", "colour");
    refusedWith("[12, 34, 56]", "[12, 34]", "colour");
    refusedWith("\"opacity\": 0.25", "\"opacity\": 2", "opacity");
    refusedWith("\"locked\": true", "\"locked\": 1", "locked");
  }

  void restored_session_has_the_saved_clicks_and_mask() {
    const SavedSession saved = exampleSession();
    AnnotationSession session(testing::rampImage(saved.mask.geometry(), PixelType::Int16));
    session.loadSavedState(saved.mask, saved.segments, saved.activeSegment);
    QVERIFY(session.mask().labels() == saved.mask.labels());
    QCOMPARE(session.activeSegment(), Label(300));
    QCOMPARE(session.clicks({SliceAxis::Coronal, 1}).size(), std::size_t(1)); // the active segment's
    QVERIFY(session.volumeClicks().empty());
    session.updateSegment([&] { Segment s = session.segments().get(300); s.locked = false; return s; }());
    session.setActiveSegment(1); // the other segment's clicks come back with it
    QCOMPARE(session.volumeClicks().size(), std::size_t(2));
    QCOMPARE(session.clicks({SliceAxis::Axial, 2}).size(), std::size_t(2));
    QCOMPARE(session.clicks({SliceAxis::Sagittal, 6}).size(), std::size_t(1));
    QCOMPARE(session.allClicks().size(), std::size_t(2));
    const auto records = session.segmentRecords();
    QCOMPARE(records.size(), std::size_t(2));
    QCOMPARE(records[1].clicks.size(), std::size_t(1));
    QCOMPARE(records[0].segment.name, saved.segments[0].segment.name);
    QVERIFY(!session.canUndo());
  }

  void restoring_clicks_outside_the_image_is_refused() {
    SavedSession saved = exampleSession();
    AnnotationSession session(testing::rampImage(saved.mask.geometry(), PixelType::Int16));
    saved.segments[1].clicks.push_back({SliceRef{SliceAxis::Axial, 99}, {{1, 1, true}}});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, session.loadSavedState(saved.mask, saved.segments));
    QCOMPARE(session.mask().countNonZero(), std::size_t(0)); // nothing half-restored
  }

  void broken_session_files_are_refused_with_their_name() {
    QTemporaryDir dir;
    const auto expectError = [](const std::string& path, const QString& fragment) {
      try {
        readSessionFile(path);
        QFAIL("no error");
      } catch (const ImageIOError& e) {
        QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
        QVERIFY2(QString(e.what()).contains(fragment), e.what());
      }
    };
    expectError(dir.filePath("missing.medclick").toStdString(), "cannot be opened");
    const std::string notJson = dir.filePath("garbage.medclick").toStdString();
    writeText(notJson, "\x89PNG not json");
    expectError(notJson, "not a MedClick session");
    const std::string otherJson = dir.filePath("other.medclick").toStdString();
    writeText(otherJson, "{\"format\": \"something-else\", \"version\": 1}");
    expectError(otherJson, "not a MedClick session");
    const std::string newer = dir.filePath("newer.medclick").toStdString();
    writeText(newer, "{\"format\": \"medclick-session\", \"version\": 99}");
    expectError(newer, "newer MedClick");
    const std::string noMask = dir.filePath("nomask.medclick").toStdString();
    writeSessionFile(noMask, exampleSession());
    std::filesystem::remove(sessionMaskPath(noMask));
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readSessionFile(noMask));
  }

  void a_session_whose_mask_lies_outside_its_folder_is_refused() {
    QTemporaryDir dir;
    QDir(dir.path()).mkdir("inner");
    const std::string outside = dir.filePath("elsewhere.medclick").toStdString();
    writeSessionFile(outside, exampleSession()); // a real mask one folder up: only the rule can refuse it
    const std::string session = dir.filePath("inner/session.medclick").toStdString();
    writeSessionFile(session, exampleSession());
    std::ifstream in(session);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    const std::string ownMask = std::filesystem::path(sessionMaskPath(session)).filename().string();
    for (const std::string& name : {std::string("../") + std::filesystem::path(sessionMaskPath(outside)).filename().string(),
                                    std::string("/etc/passwd")}) {
      std::string edited = text;
      edited.replace(edited.find(ownMask), ownMask.size(), name);
      writeText(session, edited);
      try {
        readSessionFile(session);
        QFAIL("a mask outside the session's folder was read");
      } catch (const ImageIOError& e) {
        QVERIFY2(QString(e.what()).contains("header's folder") || QString(e.what()).contains("absolute path"), e.what());
      }
    }
  }

  void autosave_saves_recovers_and_discards() {
    QTemporaryDir dir;
    const AutosaveStore store(dir.filePath("autosave/nested").toStdString());
    QVERIFY(!store.hasRecovery());
    store.save(exampleSession());
    QVERIFY(store.hasRecovery());
    const SavedSession recovered = store.recover();
    QVERIFY(recovered.mask.labels() == exampleSession().mask.labels());
    QCOMPARE(recovered.imagePath, exampleSession().imagePath);
    store.discard();
    QVERIFY(!store.hasRecovery());
    QVERIFY(!std::filesystem::exists(sessionMaskPath(store.sessionPath())));
    QVERIFY(!std::filesystem::exists(labelDescriptionPathFor(sessionMaskPath(store.sessionPath()))));
  }
};

QTEST_GUILESS_MAIN(SessionFileTest)
#include "session_file_test.moc"
