// ITK-SNAP's label description files: one as ITK-SNAP exports it reads as its segments, a written
// table reads back the same (uint16 labels, opacity, visibility, names with spaces), and every kind
// of malformed line is refused with its line number, never half-read.

#include "io/image_io_error.h"
#include "segments/label_description.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace medclick;

namespace {

// The layout ITK-SNAP writes (its header comment, the background line, right-aligned columns).
const char* kExported = R"(# This file was exported from ITK-SNAP
################################################
# ITK-SnAP Label Description File
# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL
################################################
    0     0    0    0        0  0  0    "Clear Label"
    1   255    0    0        1  1  1    "Left ventricle"
    2     0  255    0      0.5  1  0    "Myocardium / wall"
  512     0    0  255        1  0  1    "Scar"
)";

void expectRefused(const std::string& line, const char* reason) {
  const std::string text = std::string("# header\n") + "    1   255    0    0        1  1  1    \"Good\"\n" + line + "\n";
  try {
    parseLabelDescription(text, "bad.txt");
    QFAIL(qPrintable(QString::fromStdString("accepted: " + line)));
  } catch (const ImageIOError& e) {
    const QString message = QString::fromStdString(e.what());
    QVERIFY2(message.startsWith("bad.txt: label description line 3: ") && message.contains(reason), qPrintable(message));
  }
}

} // namespace

class LabelDescriptionTest : public QObject {
  Q_OBJECT

private slots:
  void an_itk_snap_export_reads_as_its_segments() {
    const auto segments = parseLabelDescription(kExported, "labels.txt");
    QCOMPARE(segments.size(), std::size_t(3)); // the background line is not a segment
    QCOMPARE(segments[0].label, std::uint16_t(1));
    QCOMPARE(segments[0].name, std::string("Left ventricle"));
    QVERIFY((segments[0].colour == std::array<std::uint8_t, 3>{255, 0, 0}));
    QCOMPARE(segments[1].name, std::string("Myocardium / wall"));
    QCOMPARE(segments[1].opacity, 0.5);
    QVERIFY(segments[1].visible && !segments[1].meshVisible);
    QCOMPARE(segments[2].label, std::uint16_t(512));
    QVERIFY(!segments[2].visible && segments[2].meshVisible);
  }

  void a_written_table_reads_back_the_same() {
    QTemporaryDir folder;
    const std::string path = folder.filePath("labels.txt").toStdString();
    std::vector<Segment> segments(3);
    segments[0] = {1, "Liver", {221, 130, 101}, 1.0, true, true, false};
    segments[1] = {2, "Lesion \"A\"", {144, 238, 144}, 0.35, false, true, true};
    segments[2] = {65535, "Last label", {0, 0, 0}, 0.0, true, false, false};
    writeLabelDescription(path, segments);
    const auto back = readLabelDescription(path);
    QCOMPARE(back.size(), segments.size());
    for (std::size_t s = 0; s < back.size(); ++s) {
      QCOMPARE(back[s].label, segments[s].label);
      QVERIFY(back[s].colour == segments[s].colour);
      QCOMPARE(back[s].opacity, segments[s].opacity);
      QCOMPARE(back[s].visible, segments[s].visible);
      QCOMPARE(back[s].meshVisible, segments[s].meshVisible);
      QVERIFY(!back[s].locked); // MedClick's own: not in the format
    }
    QCOMPARE(back[0].name, std::string("Liver"));
    QCOMPARE(back[1].name, std::string("Lesion 'A'")); // a quote would end the name
    QVERIFY(!QFileInfo::exists(folder.filePath("labels.txt.part")));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, formatLabelDescription({Segment{0, "Background"}}));
  }

  void malformed_lines_are_refused_with_their_line_number() {
    expectRefused("    2   256    0    0        1  1  1    \"Red overflow\"", "a colour '256'");
    expectRefused("   -1     0    0    0        1  1  1    \"Negative\"", "IDX '-1'");
    expectRefused("70000     0    0    0        1  1  1    \"Too large for uint16\"", "IDX '70000'");
    expectRefused("   2x     0    0    0        1  1  1    \"Not a number\"", "IDX '2x'");
    expectRefused("    2     0    0    0      1.5  1  1    \"Too opaque\"", "opacity");
    expectRefused("    2     0    0    0      nan  1  1    \"NaN\"", "opacity");
    expectRefused("    2     0    0    0        1  2  1    \"Visibility 2\"", "VIS '2'");
    expectRefused("    2     0    0    0        1  1  1    \"No end", "no closing quote");
    expectRefused("    2     0    0    0        1  1  1    Unquoted", "not in double quotes");
    expectRefused("    2     0    0    \"Short\"", "needs IDX -R- -G- -B- -A-- VIS MSH");
    expectRefused("    2     0    0    0   1  1  1  1  \"Long\"", "seven numbers");
    expectRefused("    1     0    0    0        1  1  1    \"Twice\"", "label 1 is described twice");
  }

  void missing_and_oversized_files_are_refused() {
    QTemporaryDir folder;
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readLabelDescription(folder.filePath("missing.txt").toStdString()));
    const std::string huge = folder.filePath("huge.txt").toStdString();
    {
      std::ofstream out(huge);
      const std::string comment(1023, '#');
      for (int i = 0; i < 9 * 1024; ++i) out << comment << '\n';
    }
    try {
      readLabelDescription(huge);
      QFAIL("a 9 MiB file was read");
    } catch (const ImageIOError& e) {
      QVERIFY2(QString(e.what()).contains("larger than 8 MiB"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(LabelDescriptionTest)
#include "label_description_test.moc"
