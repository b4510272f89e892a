#pragma once
// One clinician's annotation of one open image: the probability map (the mask is its > 0.5 part),
// the clicks of each slice, the engine in use, and a bounded undo/redo history. Clicks and manual
// edits are slice operations, so a 2D model refines 3D volumes plane by plane in any orientation;
// propagation carries a slice's mask to its neighbour as that slice's previous probability. An
// automatic segmenter (KM-UNet, KANU-Net) gives a slice a first mask that the clicks then refine.
// No Qt: the GUI observes it, the tests drive it headless.

#include "engine/segmentation_engine.h"
#include "image/image.h"
#include "image/label_mask.h"
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

  const std::vector<float>& probability() const { return probability_; }
  LabelMask mask() const;                      // probability > 0.5, on the image's grid
  // mask() within `box` only, into a mask on the image's grid: what a view's mask needs after an
  // operation that changed `box` (lastChange()).
  void updateMask(LabelMask& mask, const VoxelBox& box) const;
  void loadMask(const LabelMask& mask);        // starts over from an existing mask (history cleared)
  const ClickList& clicks(const SliceRef& slice) const;
  // Every slice that has clicks, in slice order: what a saved session keeps besides the mask.
  std::vector<std::pair<SliceRef, ClickList>> allClicks() const;
  // Resumes saved work: the mask and the clicks that made it (history cleared). The mask must be on
  // the image's grid (GeometryMismatchError otherwise); clicks outside their slice are refused.
  void loadSavedState(const LabelMask& mask, const std::vector<std::pair<SliceRef, ClickList>>& clicks,
                      const VolumeClickList& volumeClicks = {});

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

  bool canUndo() const { return history_.canUndo(); }
  bool canRedo() const { return history_.canRedo(); }
  SliceRef undo(); // returns the slice that changed (or SliceRef::wholeVolume())
  SliceRef redo();
  const UndoHistory& history() const { return history_; }
  // Where the last operation (or undo, redo, load) changed the probability: what a view redraws.
  const VoxelBox& lastChange() const { return lastChange_; }

private:
  static long long keyOf(const SliceRef& slice) { return static_cast<long long>(slice.axis) * (1ll << 40) + static_cast<long long>(slice.index); }
  RegionState stateOf(const SliceRef& slice) const; // the slice's probability and clicks
  // Applies `after` to the slice and records the step (the slice's plane is its box).
  void commitSlice(const SliceRef& slice, const RegionState& before, const RegionState& after);
  void restore(const UndoStep& step);
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
  void writeRegion(const VoxelBox& box, const std::vector<float>& values); // into probability_ and working_

  Image image_;
  std::vector<float> probability_;
  std::map<long long, ClickList> clicks_;
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
