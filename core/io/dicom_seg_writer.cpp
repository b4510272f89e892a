#include "io/dicom_seg_writer.h"

#include "io/dicom_series_reader.h"
#include "io/image_io_error.h"

#include <dcmtk/config/osconfig.h> // before any other DCMTK header
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/cielabutil.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

namespace medclick {

namespace {

// One slice of the reference series, as its header says.
struct SourceSlice {
  std::string file;
  OFString sopClassUid, sopInstanceUid;
  std::array<double, 3> position{};
  std::size_t rows = 0, columns = 0;
};

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value); // DS holds 16 characters
  return text;
}

void require(const OFCondition& condition, const std::string& path, const std::string& what) {
  if (condition.bad()) throw ImageIOError(path, what + ": " + condition.text());
}

SourceSlice readSourceSlice(const std::string& file, const std::string& folder) {
  DcmFileFormat format;
  // Headers only: elements over 4 kB (the pixel data) stay on disk.
  require(format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096), folder, "cannot read " + file);
  DcmDataset* data = format.getDataset();
  SourceSlice slice;
  slice.file = file;
  Uint16 rows = 0, columns = 0;
  if (data->findAndGetOFString(DCM_SOPClassUID, slice.sopClassUid).bad() ||
      data->findAndGetOFString(DCM_SOPInstanceUID, slice.sopInstanceUid).bad() || data->findAndGetUint16(DCM_Rows, rows).bad() ||
      data->findAndGetUint16(DCM_Columns, columns).bad())
    throw ImageIOError(folder, file + " lacks its SOP class, SOP instance, rows or columns");
  for (unsigned long a = 0; a < 3; ++a)
    if (data->findAndGetFloat64(DCM_ImagePositionPatient, slice.position[a], a).bad())
      throw ImageIOError(folder, file + " has no Image Position (Patient): a segmentation cannot be placed on it");
  slice.rows = rows;
  slice.columns = columns;
  return slice;
}

// The series' slices in the label map's slice order, after checking they are its grid: a frame of
// the segmentation sits where its source slice sits, or the object is refused.
std::vector<SourceSlice> sourceSlicesFor(const ImageGeometry& g, const DicomSegReference& reference) {
  std::vector<SourceSlice> slices;
  for (const std::string& file : dicomSeriesFiles(reference.folder, reference.seriesUid))
    slices.push_back(readSourceSlice(file, reference.folder));
  if (g.dimension != 3 || slices.size() != g.size[2])
    throw ImageIOError(reference.folder, "the series has " + std::to_string(slices.size()) + " slices; the label map " +
                                             g.describe() + " was not drawn on it");
  const std::array<double, 3> normal{g.direction[2], g.direction[5], g.direction[8]};
  std::vector<const SourceSlice*> ordered(slices.size(), nullptr);
  for (const SourceSlice& slice : slices) {
    if (slice.rows != g.size[1] || slice.columns != g.size[0])
      throw ImageIOError(reference.folder, slice.file + " is " + std::to_string(slice.columns) + "x" + std::to_string(slice.rows) +
                                               " pixels; the label map's slices are " + std::to_string(g.size[0]) + "x" +
                                               std::to_string(g.size[1]));
    double along = 0;
    for (int a = 0; a < 3; ++a) along += (slice.position[a] - g.origin[a]) * normal[a];
    const double k = along / g.spacing[2];
    const long nearest = std::lround(k);
    const std::array<double, 3> expected = g.indexToPhysical({0.0, 0.0, static_cast<double>(nearest)});
    double offset = 0;
    for (int a = 0; a < 3; ++a) offset = std::max(offset, std::abs(expected[a] - slice.position[a]));
    if (nearest < 0 || nearest >= static_cast<long>(g.size[2]) || offset > 1e-3 * std::max(1.0, g.spacing[2]) ||
        ordered[static_cast<std::size_t>(nearest)])
      throw ImageIOError(reference.folder, slice.file + " does not sit on a slice of the label map's grid " + g.describe());
    ordered[static_cast<std::size_t>(nearest)] = &slice;
  }
  std::vector<SourceSlice> result;
  for (const SourceSlice* slice : ordered) result.push_back(*slice);
  return result;
}

} // namespace

void writeDicomSeg(const LabelMask& labels, const std::vector<Segment>& segments, const DicomSegReference& reference,
                   const std::string& path) {
  // DCMTK logs its own checks on stderr ("will not check dimension consistency..."); its errors come
  // back as conditions and become ImageIOErrors below.
  static const bool quiet = [] {
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    return true;
  }();
  (void)quiet;
  const ImageGeometry& g = labels.geometry();
  const std::vector<SourceSlice> sources = sourceSlicesFor(g, reference);
  const std::size_t columns = g.size[0], rows = g.size[1], sliceVoxels = columns * rows;

  // Which slices each segment occupies: only those become frames.
  std::map<Label, std::vector<bool>> occupied;
  for (const Segment& s : segments) occupied[s.label] = std::vector<bool>(g.size[2], false);
  for (std::size_t v = 0; v < labels.labels().size(); ++v) {
    const auto it = occupied.find(labels.labels()[v]);
    if (it != occupied.end()) it->second[v / sliceVoxels] = true;
  }
  std::vector<const Segment*> written;
  for (const Segment& s : segments)
    if (std::find(occupied[s.label].begin(), occupied[s.label].end(), true) != occupied[s.label].end()) written.push_back(&s);
  if (written.empty()) throw ImageIOError(path, "the segmentation is empty: a DICOM SEG needs at least one segment with voxels");

  IODGeneralEquipmentModule::EquipmentInfo equipment("MedClick", "MedClick", "1", "MedClick");
  ContentIdentificationMacro content("1", "MEDCLICK_SEG", "Interactive segmentation", "MedClick^");
  DcmSegmentation* created = nullptr;
  require(DcmSegmentation::createBinarySegmentation(created, static_cast<Uint16>(rows), static_cast<Uint16>(columns), equipment, content),
          path, "cannot create the segmentation");
  std::unique_ptr<DcmSegmentation> seg(created);

  // Patient, study and frame of reference are the series' own: the PACS files it with them.
  DcmFileFormat first;
  require(first.loadFile(sources.front().file.c_str(), EXS_Unknown, EGL_noChange, 4096), path, "cannot read " + sources.front().file);
  require(seg->importFromSourceImage(*first.getDataset(), OFTrue), path, "cannot take over the series' patient and study");
  char uid[100];
  seg->getSeries().setSeriesInstanceUID(dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT));
  seg->getSeries().setSeriesNumber("9901");
  seg->getSeries().setSeriesDescription("MedClick segmentation");
  seg->getSOPCommon().setSOPInstanceUID(dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));

  // Geometry shared by every frame: the series' pixel spacing (row\column) and orientation.
  FGPixelMeasures measures;
  measures.setPixelSpacing((number(g.spacing[1]) + "\\" + number(g.spacing[0])).c_str());
  measures.setSliceThickness(number(g.spacing[2]).c_str());
  measures.setSpacingBetweenSlices(number(g.spacing[2]).c_str());
  require(seg->addForAllFrames(measures), path, "pixel measures");
  const auto& d = g.direction; // row-major: column c is the direction of index axis c
  std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
      number(d[0]).c_str(), number(d[3]).c_str(), number(d[6]).c_str(), number(d[1]).c_str(), number(d[4]).c_str(), number(d[7]).c_str()));
  require(seg->addForAllFrames(*orientation), path, "plane orientation");

  // Frames are indexed by segment, then by position, as dcmqi and Slicer write them.
  char dimensionUid[100];
  dcmGenerateUniqueIdentifier(dimensionUid, SITE_INSTANCE_UID_ROOT);
  require(seg->getDimensions().addDimensionIndex(DCM_ReferencedSegmentNumber, dimensionUid, DCM_SegmentIdentificationSequence,
                                                 "ReferencedSegmentNumber"),
          path, "dimension index");
  require(seg->getDimensions().addDimensionIndex(DCM_ImagePositionPatient, dimensionUid, DCM_PlanePositionSequence, "ImagePositionPatient"),
          path, "dimension index");

  std::vector<Uint8> frame(sliceVoxels);
  for (const Segment* s : written) {
    DcmSegment* segment = nullptr;
    // The names carry the meaning; the coded type is the generic "Tissue" (SNOMED CT 85756007).
    const CodeSequenceMacro tissue("85756007", "SCT", "Tissue");
    require(DcmSegment::create(segment, s->name.empty() ? OFString("Segment") : OFString(s->name.c_str()), tissue, tissue,
                               DcmSegTypes::SAT_SEMIAUTOMATIC, "MedClick"),
            path, "segment '" + s->name + "'");
    double L = 0, a = 0, b = 0;
    IODCIELabUtil::rgb2DicomLab(L, a, b, s->colour[0] / 255.0, s->colour[1] / 255.0, s->colour[2] / 255.0);
    segment->setRecommendedDisplayCIELabValue(static_cast<Uint16>(std::lround(L)), static_cast<Uint16>(std::lround(a)),
                                              static_cast<Uint16>(std::lround(b)));
    Uint16 segmentNumber = 0;
    if (seg->addSegment(segment, segmentNumber).bad()) {
      delete segment;
      throw ImageIOError(path, "cannot add the segment '" + s->name + "'");
    }
    for (std::size_t k = 0; k < g.size[2]; ++k) {
      if (!occupied[s->label][k]) continue;
      const Label* slice = labels.labels().data() + k * sliceVoxels;
      for (std::size_t p = 0; p < sliceVoxels; ++p) frame[p] = slice[p] == s->label ? 1 : 0;
      const SourceSlice& source = sources[k];
      std::unique_ptr<FGPlanePosPatient> position(FGPlanePosPatient::createMinimal(
          number(source.position[0]).c_str(), number(source.position[1]).c_str(), number(source.position[2]).c_str()));
      FGFrameContent frameContent;
      frameContent.setDimensionIndexValues(segmentNumber, 0);
      frameContent.setDimensionIndexValues(static_cast<Uint32>(k + 1), 1);
      ImageSOPInstanceReferenceMacro* made = nullptr;
      require(ImageSOPInstanceReferenceMacro::create(source.sopClassUid, source.sopInstanceUid, made), path, "source reference");
      std::unique_ptr<ImageSOPInstanceReferenceMacro> sourceReference(made);
      OFVector<ImageSOPInstanceReferenceMacro> derivedFrom;
      derivedFrom.push_back(*sourceReference);
      std::unique_ptr<FGDerivationImage> derivation(
          DcmSegmentation::createDerivationImageFG(derivedFrom, "Interactive segmentation in MedClick"));
      if (!derivation) throw ImageIOError(path, "cannot reference the source slice " + source.file);
      OFVector<FGBase*> perFrame;
      perFrame.push_back(position.get());
      perFrame.push_back(&frameContent);
      perFrame.push_back(derivation.get());
      require(seg->addFrame(frame.data(), segmentNumber, perFrame), path, "frame of slice " + std::to_string(k));
    }
  }

  // The referenced series and instances (Common Instance Reference Module).
  IODReferences references;
  OFVector<OFString> files;
  for (const SourceSlice& source : sources) files.push_back(source.file.c_str());
  references.addFromFiles(files, IODReference::LEVEL_STUDY); // with their series and study
  OFString studyUid;
  first.getDataset()->findAndGetOFString(DCM_StudyInstanceUID, studyUid);
  seg->getCommonInstanceReference().addReferences(references, studyUid);

  require(seg->saveFile(path.c_str(), EXS_LittleEndianExplicit), path, "cannot write the DICOM SEG");
}

} // namespace medclick
