// medclick: the desktop application. Sets up Qt (settings, translations), hands the main window the
// app-level services (engines by name with bundled weights, the fine-tune dialog), opens what the
// command line names and offers to recover an autosave.
//
//   medclick [IMAGE | SESSION.medclick] [--click X,Y[,+|-]]... [--screenshot FILE.png]
//
// --click adds clicks on the shown (axial) slice once the model is ready; --screenshot saves the
// window after everything has run and quits (demos, documentation, the xvfb test).

#include "common/engine_choice.h"
#include "gui_services.h"
#include "view/surface_view.h"
#include "window/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>

#include <iostream>

namespace {

void installTranslations(QApplication& app) {
  // The settings' language wins over the system locale ("en" turns translations off).
  const QString language = QSettings().value("ui/language", QLocale::system().name()).toString();
  auto* own = new QTranslator(&app);
  if (own->load(QLocale(language), "medclick", "_", ":/i18n")) app.installTranslator(own);
  auto* qt = new QTranslator(&app);
  if (qt->load(QLocale(language), "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath))) app.installTranslator(qt);
}

} // namespace

int main(int argc, char** argv) {
  // Debian's VTK 9.1 cannot draw on EGL contexts, which a native Wayland session gives: run through
  // XWayland unless the user chose a platform.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      !qEnvironmentVariableIsEmpty("DISPLAY"))
    qputenv("QT_QPA_PLATFORM", "xcb");
  QSurfaceFormat::setDefaultFormat(medclick::ui::SurfaceView::defaultFormat()); // VTK's OpenGL 3.2 core
  QApplication app(argc, argv);
  QApplication::setOrganizationName("MedClick");
  QApplication::setApplicationName("MedClick");
  QApplication::setApplicationVersion(MEDCLICK_VERSION);
  QApplication::setWindowIcon(QIcon(":/icons/medclick.png"));
  installTranslations(app);

  QCommandLineParser parser;
  parser.setApplicationDescription(QApplication::translate("main", "Click-based interactive segmentation of medical images."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("file", QApplication::translate("main", "An image, a DICOM folder or a .medclick session to open."));
  QCommandLineOption click("click", QApplication::translate("main", "A click X,Y[,+|-] on the shown slice (repeatable)."), "X,Y");
  QCommandLineOption screenshot("screenshot", QApplication::translate("main", "Save a screenshot of the window and quit."), "FILE");
  QCommandLineOption noRecovery("no-recovery", QApplication::translate("main", "Do not offer to recover an autosave."));
  parser.addOptions({click, screenshot, noRecovery});
  parser.process(app);

  auto services = medclick::gui::makeServices();
  // A screenshot run is a demo: it must neither overwrite nor discard the user's autosave.
  QTemporaryDir demoData;
  if (parser.isSet(screenshot)) services.dataFolder = demoData.path();
  medclick::ui::MainWindow window(services);
  window.show();

  const QStringList files = parser.positionalArguments();
  bool opened = false;
  if (!files.isEmpty())
    opened = files.first().endsWith(".medclick") ? window.openSession(files.first()) : window.openPath(files.first());
  else if (!parser.isSet(noRecovery) && !parser.isSet(screenshot))
    window.offerRecovery();

  if (opened) {
    for (const QString& text : parser.values(click)) {
      const QStringList parts = text.split(',');
      bool okX = false, okY = false;
      const double x = parts.value(0).toDouble(&okX), y = parts.value(1).toDouble(&okY);
      if (!okX || !okY || parts.size() > 3) {
        std::cerr << "medclick: --click wants X,Y[,+|-], got " << text.toStdString() << "\n";
        return 1;
      }
      window.controller().addClick(window.viewer().currentSlice(), {x, y, parts.value(2) != "-"});
    }
  }
  if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    QTimer::singleShot(0, &window, [&window, path] {
      window.controller().waitUntilIdle();
      // Let the debounced work (the 3D surface, autosave) run before the picture is taken.
      QTimer::singleShot(1000, &window, [&window, path] {
        const bool saved = window.grab().save(path);
        std::cout << (saved ? "screenshot: " : "screenshot failed: ") << path.toStdString() << std::endl;
        QApplication::exit(saved ? 0 : 1);
      });
    });
  }
  return app.exec();
}
