#pragma once
// One clinician's annotation of one open image: a label map of several segments (structures), the
// active segment's probability map (its voxels are the map's > 0.5 part) and clicks of each slice, the
// engine in use, and a bounded undo/redo history. Every edit acts on the active segment and goes
// through one LabelWriteRule, so other segments are never overwritten (or, in OverwriteMode::
// UnlockedSegments, only unlocked ones); a segment that is not active keeps its probability packed
// and its clicks, so coming back to it resumes its interaction. Clicks and manual
// edits are slice operations, so a 2D model refines 3D volumes plane by plane in any orientation;
// propagation carries a slice's mask to its neighbour as that slice's previous probability. An
// automatic segmenter (KM-UNet, KANU-Net) gives a slice a first mask that the clicks then refine.
// No Qt: the GUI observes it, the tests drive it headless.

#include "engine/segmentation_engine.h"
#include "image/image.h"
#include "image/label_mask.h"
#include "segments/segment_list.h"
#include "segments/segment_record.h"
#include "session/label_write_rule.h"
#include "session/slice_access.h"
#include "session/undo_history.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace medclick {

class AnnotationSession {
public:
  explicit AnnotationSession(Image image, std::size_t historyByteBudget = 256u << 20);

  const Image& image() const { return image_; }
  const ImageGeometry& geometry() const { return image_.geometry(); }
  // The engine the clicks go to (it must take clicks): a 2D one (IKAN, the watershed) refines the
  // clicked slice, a 3D one (CAISeg) the whole volume from the voxel under the click.
  void setEngine(std::shared_ptr<SegmentationEngine> engine);
  bool hasEngine() const { return clickEngine_.engine != nullptr; }
  bool clicksRefineVolume() const; // the click engine is a 3D one
  // The engine that proposes a mask without clicks (KM-UNet, KANU-Net per slice; CAISeg for the
  // volume); the click engine then refines it. May be the click engine itself.
  void setAutomaticEngine(std::shared_ptr<SegmentationEngine> engine);
  bool hasAutomaticEngine() const { return automaticEngine_.engine != nullptr; }

  // The segments, in list order; a new session has one, "Segment 1" (label 1).
  const SegmentList& segments() const { return segments_; }
  Label activeSegment() const { return active_; }
  // Later edits act on this segment, with its own probability and clicks. Throws std::invalid_argument
  // for a label that is not a segment.
  void setActiveSegment(Label label);
  // Adds a segment (label 0: the lowest free one, SegmentList::add) and returns its label; it does not
  // become active.
  Label addSegment(Segment segment);
  void updateSegment(const Segment& segment); // name, colour, visibility, lock (not undone: a property, not an edit)
  // Erases the segment's voxels and clicks; the history is cleared (a removal is not undone). The last
  // segment cannot be removed. The active one hands over to the first remaining segment.
  void removeSegment(Label label);
  void setOverwriteMode(OverwriteMode mode) { overwrite_ = mode; }
  OverwriteMode overwriteMode() const { return overwrite_; }

  const std::vector<float>& probability() const { return probability_; } // the active segment's
  LabelMask mask() const;                      // the label map, on the image's grid
  // mask() within `box` only, into a mask on the image's grid: what a view's mask needs after an
  // operation that changed `box` (lastChange()).
  void updateMask(LabelMask& mask, const VoxelBox& box) const;
  // Starts over from an existing label map (history and clicks cleared): each label in it that is not
  // a segment yet becomes one (SegmentList::makeDefault); the active segment stays if it still exists.
  void loadMask(const LabelMask& mask);
  const ClickList& clicks(const SliceRef& slice) const; // the active segment's
  // Every slice where the active segment has clicks, in slice order.
  std::vector<std::pair<SliceRef, ClickList>> allClicks() const;
  // Every segment with its clicks, in list order: what a saved session keeps besides the label map.
  std::vector<SegmentRecord> segmentRecords() const;
  // Resumes saved work: the label map, its segments and the clicks that made them (history cleared).
  // The mask must be on the image's grid (GeometryMismatchError otherwise); clicks outside their slice
  // are refused. No records: one default segment per label of the map. `active` 0: the first segment.
  void loadSavedState(const LabelMask& mask, const std::vector<SegmentRecord>& segments, Label active = 0);

  // One refinement round on the slice: all its clicks, the new one last, and the slice's current
  // probability as the previous one. One undo step.
  void addClick(const SliceRef& slice, const Click& click);
  // One whole-volume refinement round by the 3D click engine: all volume clicks, the new one last,
  // and the current probability as the previous one. One undo step (whole-volume scope) that keeps
  // only the box the engine wrote.
  void addVolumeClick(const VolumeClick& click);
  // The automatic engine's first mask: of the whole volume for a 3D engine (autoSegmentVolume),
  // else of the slice (autoSegmentSlice).
  void autoSegment(const SliceRef& slice);
  void autoSegmentVolume();
  // Further modalities of the case on the image's grid (an nnU-Net case's NAME_0001, ... beside the
  // NAME_0000 that was opened): the automatic segmenter sees them as channels after the image's own.
  // Throws GeometryMismatchError for another grid, std::invalid_argument for a non-grey one.
  void setExtraModalities(std::vector<Image> modalities);
  std::size_t modalityCount() const { return 1 + extraModalities_.size(); }
  // The automatic 2D engine's mask of the slice (a 2D image is its one axial slice): it replaces the
  // slice's probability and clicks, as one undo step, and is the previous probability of the next
  // click there, so round one of the interactive engine refines it.
  void autoSegmentSlice(const SliceRef& slice);
  const VolumeClickList& volumeClicks() const { return volumeClicks_; }

  // Brush (object = true) or eraser within `radius` pixels of (x, y) on the slice. One undo step; the
  // edited probability is the previous probability of the next click.
  void paint(const SliceRef& slice, double x, double y, double radius, bool object);
  // A brush stroke: disks at each point, one undo step for the whole stroke.
  void paintStroke(const SliceRef& slice, const std::vector<std::pair<double, double>>& points, double radius, bool object);
  void clearSlice(const SliceRef& slice);
  // Fill: background regions of the slice that the border cannot reach (holes in the mask) become
  // object. One undo step.
  void fillHoles(const SliceRef& slice);
  // Refines the neighbour (direction +1 or −1) with this slice's mask as its previous probability,
  // and, if asked, one positive click at the most interior pixel of that mask. Returns the
  // neighbour, or nullopt at the volume's edge or when this slice has no mask. One undo step.
  std::optional<SliceRef> propagate(const SliceRef& from, int direction, bool addCentreClick);
  // Fills the slices between two parallel slices where the active segment is drawn by shape-based
  // interpolation (segmentation/slice_interpolation.h), as ITK-SNAP's and Slicer's "fill between
  // slices" do; background voxels only. One undo step; returns the box that changed (empty: nothing).
  VoxelBox fillBetweenSlices(const SliceRef& from, const SliceRef& to);
  // The same over every gap between consecutive slices of `axis` where the active segment is drawn
  // (Slicer's "Fill between slices" on the whole segment). One undo step; an empty box: no gap.
  VoxelBox fillBetweenDrawnSlices(SliceAxis axis);

  bool canUndo() const { return history_.canUndo(); }
  bool canRedo() const { return history_.canRedo(); }
  // Undo and redo work across segments: a step of another segment makes that segment active first.
  SliceRef undo(); // returns the slice that changed (or SliceRef::wholeVolume())
  SliceRef redo();
  const UndoHistory& history() const { return history_; }
  // Where the last operation (or undo, redo, load) changed the probability: what a view redraws.
  const VoxelBox& lastChange() const { return lastChange_; }

private:
  static long long keyOf(const SliceRef& slice) { return static_cast<long long>(slice.axis) * (1ll << 40) + static_cast<long long>(slice.index); }
  RegionState stateOf(const SliceRef& slice) const; // the slice's probability, labels and clicks
  // The active segment's new probability of the slice, after the label write rule, applied with its
  // clicks and recorded as one step (the slice's plane is its box).
  void commitSlice(const SliceRef& slice, const RegionState& before, RegionState after);
  // The same for any box: `after.values` pass the write rule, `after.labels` are computed from `before`'s.
  void commitRegion(const SliceRef& scope, const VoxelBox& box, const RegionState& before, RegionState& after);
  LabelWriteRule writeRule() const; // throws std::logic_error while the active segment is locked
  void restore(const UndoStep& step);
  // Fills the gaps between each pair of slices as one step of the active segment.
  VoxelBox fillGaps(const std::vector<std::pair<SliceRef, SliceRef>>& gaps);
  // Parks the active segment's probability and clicks and takes the other's (its probability made
  // consistent with the label map, which edits of another segment may have changed meanwhile).
  void activate(Label label);
  // What image an engine holds: a slice (with the case's further modalities as channels, or not), or
  // the whole volume. setImage runs again only when that changes.
  struct ImageKey {
    SliceRef scope;
    bool withModalities = false;
    bool operator==(const ImageKey& o) const { return scope == o.scope && withModalities == o.withModalities; }
  };
  struct EngineSlot {
    std::shared_ptr<SegmentationEngine> engine;
    std::optional<ImageKey> image;
  };
  void prepare(EngineSlot& slot, const SliceRef& scope, bool withModalities);
  std::vector<float> refineSlice(const SliceRef& slice, const ClickList& clicks, const std::vector<float>& previous);
  void refineVolume(EngineSlot& slot, const VolumeClickList& clicks);
  // Into probability_ and working_, and the labels into labels_.
  void writeRegion(const VoxelBox& box, const std::vector<float>& values, const std::vector<Label>& labels);

  // What a segment keeps while another is active: its clicks and its probability, packed (empty: it
  // is taken from the label map, as after loading one).
  struct ParkedSegment {
    std::map<long long, ClickList> clicks;
    VolumeClickList volumeClicks;
    std::string probability;
  };

  Image image_;
  SegmentList segments_;
  Label active_ = 1;
  OverwriteMode overwrite_ = OverwriteMode::Background;
  LabelMask labels_;                      // the label map: every segment's voxels
  std::map<Label, ParkedSegment> parked_; // the segments that are not active
  std::vector<float> probability_;        // the active segment's
  std::map<long long, ClickList> clicks_; // the active segment's
  // A 3D engine refines this copy of probability_ in place; the two are equal between operations, so
  // a round copies only the box the engine wrote (allocated at the first 3D round).
  std::vector<float> working_;
  EngineSlot clickEngine_;
  EngineSlot automaticEngine_;
  std::vector<Image> extraModalities_; // channels after image_'s own, for the automatic engine
  VolumeClickList volumeClicks_;
  UndoHistory history_;
  VoxelBox lastChange_;
};

} // namespace medclick
