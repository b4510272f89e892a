#pragma once
// A DICOM series from a folder, read with GDCM through ITK. A folder with several series yields the
// one with the most slices (the others are logged) unless a SeriesInstanceUID is asked for.

#include "image/image.h"

#include <string>
#include <vector>

namespace medclick {

struct DicomSeriesSummary {
  std::string uid;
  std::size_t fileCount = 0;
};

std::vector<DicomSeriesSummary> listDicomSeries(const std::string& folder);
Image readDicomSeries(const std::string& folder, const std::string& seriesUid = {});
// The files of the series readDicomSeries reads (the same choice and checks), in its slice order.
std::vector<std::string> dicomSeriesFiles(const std::string& folder, const std::string& seriesUid = {});

} // namespace medclick
