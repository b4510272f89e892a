#include "io/dicom_series_reader.h"

#include "io/checks/dicom_structure.h"
#include "io/checks/file_format.h"
#include "io/image_io_error.h"
#include "io/image_reader.h"
#include "io/itk_conversion.h"

#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImageSeriesReader.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace medclick {

namespace {

namespace fs = std::filesystem;

// GDCM reads every file of the folder it scans and asserts (aborting the process) on some broken
// ones. So the folder's DICOM files are structure-checked first, and GDCM scans a private folder of
// links to those alone; files without the DICOM magic are left out, as GDCM would leave them.
class CheckedDicomFolder {
public:
  explicit CheckedDicomFolder(const std::string& folder) {
    std::error_code ec;
    std::vector<fs::path> dicomFiles;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (!entry.is_regular_file(ec)) continue;
      const std::string file = entry.path().string();
      if (!detail::hasDicomMagic(file)) {
        // Notes and other files may lie beside a series; a file named as a DICOM slice may not.
        if (detail::formatNamedBy(file) == detail::FileFormat::Dicom)
          throw ImageIOError(folder, "the series cannot be read whole: " + file + " is named as a DICOM file but is none (truncated or corrupt)");
        continue;
      }
      try {
        detail::checkDicomStructure(entry.path().string());
      } catch (const ImageIOError& e) {
        throw ImageIOError(folder, "the series cannot be read whole: " + std::string(e.what()));
      }
      dicomFiles.push_back(entry.path());
    }
    if (ec) throw ImageIOError(folder, "cannot list the folder: " + ec.message());
    std::string pattern = (fs::temp_directory_path() / "medclick-dicom-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw ImageIOError(folder, "cannot create a scratch folder to scan the series");
    scratch_ = pattern;
    for (const auto& file : dicomFiles) {
      fs::create_symlink(fs::absolute(file), scratch_ / file.filename(), ec);
      if (ec) throw ImageIOError(folder, "cannot link " + file.string() + " for the scan: " + ec.message());
    }
  }
  ~CheckedDicomFolder() {
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
  }
  CheckedDicomFolder(const CheckedDicomFolder&) = delete;
  CheckedDicomFolder& operator=(const CheckedDicomFolder&) = delete;

  std::string scanPath() const { return scratch_.string(); }

private:
  fs::path scratch_;
};

itk::GDCMSeriesFileNames::Pointer seriesNamesFor(const std::string& folder, const CheckedDicomFolder& checked) {
  auto names = itk::GDCMSeriesFileNames::New();
  names->SetUseSeriesDetails(true);
  try {
    names->SetDirectory(checked.scanPath());
  } catch (const itk::ExceptionObject& e) {
    throw ImageIOError(folder, "cannot scan the folder for DICOM files: " + detail::shortReason(e.GetDescription()));
  }
  return names;
}

} // namespace

std::vector<DicomSeriesSummary> listDicomSeries(const std::string& folder) {
  const CheckedDicomFolder checked(folder);
  auto names = seriesNamesFor(folder, checked);
  std::vector<DicomSeriesSummary> series;
  for (const auto& uid : names->GetSeriesUIDs()) series.push_back({uid, names->GetFileNames(uid).size()});
  return series;
}

namespace {

// The series readDicomSeries reads: the one asked for, or the one with the most files.
std::string chooseSeries(const std::string& folder, itk::GDCMSeriesFileNames& names, const std::string& seriesUid) {
  const auto& uids = names.GetSeriesUIDs();
  if (uids.empty()) throw ImageIOError(folder, "folder holds no DICOM series");
  std::string chosen = seriesUid;
  if (chosen.empty()) {
    chosen = *std::max_element(uids.begin(), uids.end(), [&](const std::string& a, const std::string& b) {
      return names.GetFileNames(a).size() < names.GetFileNames(b).size();
    });
    for (const auto& uid : uids)
      if (uid != chosen)
        spdlog::info("{}: also holds series {} ({} files); choose it with --series", folder, uid, names.GetFileNames(uid).size());
  } else if (std::find(uids.begin(), uids.end(), chosen) == uids.end()) {
    std::string available;
    for (const auto& uid : uids) available += (available.empty() ? "" : ", ") + uid;
    throw ImageIOError(folder, "no series " + chosen + " in the folder (it holds: " + available + ")");
  }
  return chosen;
}

} // namespace

std::vector<std::string> dicomSeriesFiles(const std::string& folder, const std::string& seriesUid) {
  const CheckedDicomFolder checked(folder);
  auto names = seriesNamesFor(folder, checked);
  const std::string chosen = chooseSeries(folder, *names, seriesUid);
  std::vector<std::string> files;
  for (const std::string& linked : names->GetFileNames(chosen)) // links in the scratch folder: their targets' names
    files.push_back((fs::path(folder) / fs::path(linked).filename()).string());
  return files;
}

Image readDicomSeries(const std::string& folder, const std::string& seriesUid) {
  const CheckedDicomFolder checked(folder);
  auto names = seriesNamesFor(folder, checked);
  const std::string chosen = chooseSeries(folder, *names, seriesUid);

  const auto files = names->GetFileNames(chosen);
  auto io = itk::GDCMImageIO::New();
  io->SetFileName(files.front());
  try {
    io->ReadImageInformation();
  } catch (const itk::ExceptionObject& e) {
    throw ImageIOError(folder, "cannot read the DICOM header of series " + chosen + ": " + detail::shortReason(e.GetDescription()));
  }
  if (io->GetNumberOfComponents() != 1)
    throw ImageIOError(folder, "series " + chosen + " has colour pixels; MedClick reads scalar DICOM volumes");
  const unsigned long long voxels =
      static_cast<unsigned long long>(io->GetDimensions(0)) * io->GetDimensions(1) * files.size();
  if (voxels == 0 || voxels > kMaxVoxelComponents)
    throw ImageIOError(folder, "series " + chosen + " declares " + std::to_string(voxels) + " voxels, outside MedClick's limits");

  auto reader = itk::ImageSeriesReader<detail::FloatVolume>::New();
  reader->SetImageIO(io);
  reader->SetFileNames(files);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    throw ImageIOError(folder, "cannot read series " + chosen + ": " + detail::shortReason(e.GetDescription()));
  }
  spdlog::debug("{}: read series {} from {} files", folder, chosen, files.size());
  return detail::imageFromVolume(reader->GetOutput(), 3, detail::pixelTypeOf(io->GetComponentType()));
}

} // namespace medclick
