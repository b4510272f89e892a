// Saved sessions and autosave: a session written and read back gives the same image path, model,
// clicks and mask (on the image's oblique grid); broken session files are refused with a message
// naming the file; the autosave store saves, reports, recovers and discards.

#include "io/image_io_error.h"
#include "session/annotation_session.h"
#include "session/autosave_store.h"
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
  s.clicks = {{SliceRef{SliceAxis::Axial, 2}, {{1.5, 2.25, true}, {3, 4, false}}},
              {SliceRef{SliceAxis::Sagittal, 6}, {{0, 0, true}}}};
  s.volumeClicks = {{3.5, 2, 4, true}, {0, 5, 1, false}};
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
    QCOMPARE(read.volumeClicks.size(), std::size_t(2));
    QCOMPARE(read.volumeClicks[0].i, 3.5);
    QCOMPARE(read.volumeClicks[1].j, 5.0);
    QCOMPARE(read.volumeClicks[1].k, 1.0);
    QVERIFY(!read.volumeClicks[1].positive);
    QCOMPARE(read.clicks.size(), written.clicks.size());
    for (std::size_t s = 0; s < read.clicks.size(); ++s) {
      QVERIFY(read.clicks[s].first == written.clicks[s].first);
      QCOMPARE(read.clicks[s].second.size(), written.clicks[s].second.size());
      for (std::size_t c = 0; c < read.clicks[s].second.size(); ++c) {
        QCOMPARE(read.clicks[s].second[c].x, written.clicks[s].second[c].x);
        QCOMPARE(read.clicks[s].second[c].y, written.clicks[s].second[c].y);
        QCOMPARE(read.clicks[s].second[c].positive, written.clicks[s].second[c].positive);
      }
    }
  }

  void restored_session_has_the_saved_clicks_and_mask() {
    const SavedSession saved = exampleSession();
    AnnotationSession session(testing::rampImage(saved.mask.geometry(), PixelType::Int16));
    session.loadSavedState(saved.mask, saved.clicks, saved.volumeClicks);
    QVERIFY(session.mask().labels() == saved.mask.labels());
    QCOMPARE(session.volumeClicks().size(), std::size_t(2));
    QCOMPARE(session.clicks({SliceAxis::Axial, 2}).size(), std::size_t(2));
    QCOMPARE(session.clicks({SliceAxis::Sagittal, 6}).size(), std::size_t(1));
    QCOMPARE(session.allClicks().size(), std::size_t(2));
    QVERIFY(!session.canUndo());
  }

  void restoring_clicks_outside_the_image_is_refused() {
    SavedSession saved = exampleSession();
    AnnotationSession session(testing::rampImage(saved.mask.geometry(), PixelType::Int16));
    saved.clicks.push_back({SliceRef{SliceAxis::Axial, 99}, {{1, 1, true}}});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, session.loadSavedState(saved.mask, saved.clicks));
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
  }
};

QTEST_GUILESS_MAIN(SessionFileTest)
#include "session_file_test.moc"
