// The real `medclick` binary in a real X window (Xvfb): opens the bundled ultrasound sample, one
// click in the fetal head with the bundled IKAN, and saves a screenshot of the main window
// (left in the build folder to look at). The screenshot must show the mask overlay over the click.

#include <QImage>
#include <QProcess>
#include <QtTest>

class GuiScreenshotTest : public QObject {
  Q_OBJECT

private slots:
  void main_window_shows_the_mask_of_a_click() {
    const QString shot = QDir::current().absoluteFilePath("medclick-window.png");
    QFile::remove(shot);
    QProcess medclick;
    medclick.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("QT_QPA_PLATFORM", "xcb"); // a real X window, not the tests' offscreen platform
    environment.insert("QT_XCB_GL_INTEGRATION", "xcb_glx");
    medclick.setProcessEnvironment(environment);
    medclick.start(MEDCLICK_XVFB_RUN, {"-a", "-s", "-screen 0 1280x900x24", MEDCLICK_GUI,
                                       QString(MEDCLICK_SAMPLES_DIR) + "/hc18_001_HC.png", "--click", "403,222",
                                       "--screenshot", shot});
    QVERIFY(medclick.waitForFinished(120000));
    const QString output = QString::fromLocal8Bit(medclick.readAll());
    QVERIFY2(medclick.exitCode() == 0, qPrintable(output));
    const QImage image(shot);
    QVERIFY2(!image.isNull(), qPrintable("no screenshot at " + shot + "\n" + output));
    QVERIFY(image.width() >= 800 && image.height() >= 600);
    // The overlay is the first segment's red (255, 0, 0) blended at 45 % over grey: red well above green and blue.
    int overlay = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x) {
        const QColor c = image.pixelColor(x, y);
        if (c.red() - c.blue() > 80 && c.red() - c.green() > 80 && c.red() > 120) ++overlay;
      }
    QVERIFY2(overlay > 2000, qPrintable(QString("%1 overlay pixels").arg(overlay)));
    qInfo("screenshot with %d overlay pixels: %s", overlay, qPrintable(shot));
  }
};

QTEST_GUILESS_MAIN(GuiScreenshotTest)
#include "gui_screenshot_test.moc"
