# The full (non torch-only) configuration: Qt 6, ITK 5, VTK 9 (non-Qt parts), OpenCV 4, spdlog.
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets OpenGLWidgets Test Charts LinguistTools)
find_package(ITK 5 REQUIRED COMPONENTS
  ITKCommon ITKIOImageBase ITKImageIntensity ITKIONIFTI ITKIOPNG ITKIOJPEG ITKIOBMP ITKIOTIFF
  ITKIOGDCM ITKIONRRD ITKIOMeta
  ITKDistanceMap # HD95 (core/eval/overlap_metrics), the 3D clicker's click depth
  ITKConnectedComponents ITKImageGrid # the 3D clicker's error regions, padding (core/eval/volume_evaluation_clicker)
  ITKRegionGrowing # the clicked objects of a 3D result (core/segmentation/clicked_objects)
  ITKSmoothing ITKImageGradient ITKWatersheds) # the 3D classical engine (core/classic/volume_watershed_engine)
include(${ITK_USE_FILE})
# VTK draws the mask's 3D surface. Only non-Qt modules: Debian's GUISupportQt is built for Qt 5, so
# ui/view/surface_view hosts VTK's generic OpenGL render window in a Qt 6 QOpenGLWidget itself.
find_package(VTK 9 REQUIRED COMPONENTS
  CommonCore CommonDataModel CommonExecutionModel FiltersCore
  RenderingCore RenderingOpenGL2 RenderingUI InteractionStyle)
find_package(OpenCV 4 REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(spdlog REQUIRED)
find_package(ZLIB REQUIRED)
# DICOM Segmentation objects (core/io/dicom_seg_writer): DCMTK's dcmseg and the IOD libraries under it.
find_package(DCMTK REQUIRED CONFIG)

# The system python (Debian's, with nibabel) for the tests that check our files with an independent reader.
find_program(MEDCLICK_SYSTEM_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(MEDCLICK_DCM2NIIX dcm2niix)
# Independent checks of the DICOM SEG we write: DCMTK's dcmdump and dicom3tools' IOD verifier.
find_program(MEDCLICK_DCMDUMP dcmdump)
find_program(MEDCLICK_DCIODVFY dciodvfy)
