#pragma once
// One fine-tuning job for `medclick-cli train` and the GUI's "Fine-tune on local data…": decode the
// labeled cases once into a tensor cache (core/ I/O), train the chosen model from the cache with
// progress reports and a cancel flag, and redraw OUT/curves.png after every epoch. Torch-free: the
// GUI's wiring includes it without torch headers. IKAN (2D) trains from `training`, CAISeg (3D)
// from `caiseg`, KM-UNet (2D, no clicks) from `segmenter` on IKAN's kind of cache, KANU-Net (2D, no
// clicks, several modalities) from `segmenter` on a cache of brain-centred slices.

#include "jobs/caiseg_training_job.h"
#include "jobs/ikan_training_job.h"
#include "jobs/segmenter_training_job.h"

#include <atomic>
#include <string>
#include <vector>

namespace medclick::app {

struct FineTuneJobOptions {
  std::string model = "ikan";           // "ikan" (2D cases) or "caiseg" (3D volumes)
  std::vector<std::string> dataFolders; // labeled folders (images/+masks/, BUSI, MSD); empty: train
                                        // from an existing training.cachePath
  int label = 0;                        // 0: every label > 0 is object; N: only label N
  int cacheSize = 288;                  // side of the square cached cases (the augmentation crops from it)
  // IKAN: folders among dataFolders whose 2D cases also enter the cache as one crop per object
  // (core/data/object_crops.h), named NAME#k in the case's group, so they follow its split.
  std::vector<std::string> objectCropFolders;
  // CAISeg: a case whose mask stores several labels (BraTS's sub-regions) also enters the cache once
  // per label, that label alone as the lesion (NAME#L, in the case's group, so in its split).
  bool labelTargets = false;
  // outDir, cachePath (empty: OUT/cases.safetensors), epochs, initWeights, device, resume, ...
  IkanTrainingOptions training;
  // The same for model "caiseg"; its cache holds volumes resampled to no finer than minimumSpacing mm.
  CaisegTrainingOptions caiseg;
  double minimumSpacing = 0.0; // 0: native spacing, as the CAISeg engine sees volumes (it does not resample)
  // Models "kmunet" and "kanunet" (automatic 2D masks): their recipe; the output folder and the cache
  // path are training's.
  SegmenterTrainingOptions segmenter;
  int sliceCropSize = 224; // KANU-Net: the paper's brain-centred crop

};

// The models runFineTuneJob accepts.
std::vector<std::string> fineTunableModels();

// OUT/curves.png: training loss and validation metric against epochs, redrawn after every epoch.
std::string trainingCurvesPath(const std::string& outDir);

// Decodes every 2D case with a non-empty mask of the folders into a tensor cache at cachePath and
// returns how many it holds. Cancel is checked between cases (returns -1 without writing).
// Throws ImageIOError for a folder of no known layout or an unreadable case, std::runtime_error when
// no usable case is left.
// The cases of objectCropFolders also give one sample per object (objectCrops, objects of at least 10 pixels).
int buildTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, int cacheSize,
                       const std::atomic<bool>& cancel, const std::vector<std::string>& objectCropFolders = {});

// Decodes every 3D case with a non-empty mask into a 3D sample cache (VolumeCacheWriter) and returns
// how many it holds; -1 when cancelled. Besides the layouts of scanLabeledDataset it reads a folder of
// NAME_image.EXT + NAME_label.EXT pairs (../shared/data/lesions-nrrd). 2D images are skipped.
// withLabelTargets: a mask of several labels also gives one volume per label of at least 100 voxels,
// NAME#L, that label alone as the target (throws std::invalid_argument with a label other than 0).
int buildVolumeTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, double minimumSpacing,
                             const std::atomic<bool>& cancel, bool withLabelTargets = false);

// Decodes the slices of every case (2D images, or the slices of volumes along k) into KANU-Net's
// cache (SliceCacheWriter): the modalities of an MSD case (NAME_0000, NAME_0001, ...) as channels;
// as classes BraTS's nested regions (whole tumour = label > 0, tumour core = 1, 3, 4, enhancing = 4)
// when label is 0 and a dataset's first case has several of the labels 1–4, else one class (label > 0,
// or label N). Every slice with the first class is kept, and every 4th of the others that show
// anatomy, so that the network also learns to answer "nothing" on a slice without lesion. Returns the
// number of slices; -1 when cancelled.
int buildSliceTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, int cropSize,
                            const std::atomic<bool>& cancel);

// The cache the model trains from: buildTrainingCache (ikan, kmunet), buildVolumeTrainingCache
// (caiseg) or buildSliceTrainingCache (kanunet), from options.dataFolders.
int buildModelCache(const FineTuneJobOptions& options, const std::string& cachePath, const std::atomic<bool>& cancel);

// Builds the cache (when dataFolders are given), then trains. progress and the end of the job come
// on the calling thread. Cancelled while decoding: a summary with cancelled set and nothing trained.
// Throws std::invalid_argument for an unknown model or neither data nor cache, and what the cache
// builder and the trainer throw.
TrainingSummary runFineTuneJob(const FineTuneJobOptions& options, const ProgressCallback& progress, const std::atomic<bool>& cancel);

} // namespace medclick::app
