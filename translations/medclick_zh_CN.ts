<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>IKAN (bundled weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classical (watershed, no model)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Click-based interactive segmentation of medical images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An image, a DICOM folder or a .medclick session to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A click X,Y[,+|-] on the shown slice (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a screenshot of the window and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not offer to recover an autosave.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>medclick::ui::MainWindow</name>
    <message>
        <source>Images (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MedClick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No segmentation model is ready: choose one in the tool bar.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last refinement: %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refining…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;DICOM Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open DICOM Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MedClick sessions (*.medclick)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export Mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As &amp;NIfTI…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIfTI (*.nii.gz *.nii)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As &amp;PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As PNG &amp;Folder (one per slice)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Mask Slices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear Slice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Backspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fill Holes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accept (add to local cases)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Segmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Click (left +, right −)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Brush</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Navigate (move cross-hairs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propagate to &amp;Next Slice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propagate to &amp;Previous Slice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+[</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask &amp;Outline Only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window &amp;Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full Range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CT Soft Tissue (400/40)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CT Lung (1500/−600)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CT Bone (2000/300)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CT Brain (80/40)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fine-tune on Local Data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About MedClick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About MedClick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;MedClick&lt;/b&gt; %1&lt;br&gt;Click-based interactive segmentation of medical images.&lt;br&gt;Left click: object; right click or Shift+click: background; wheel: slice; Ctrl+wheel: zoom; middle drag: pan; right drag: window/level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Model: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safetensors (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Device: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Brush: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Opacity: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voxel (%1, %2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position (%1, %2, %3) mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intensity %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open this image; the current work stays open.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — MedClick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 NaN/Inf voxels were shown as the minimum intensity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open this session; the current work stays open.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The session was not saved.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask was not exported.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mask is empty: there is nothing to accept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case was not added to the local cases.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted: added to the local cases as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An autosaved session was found but cannot be read; it is kept in %1.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MedClick did not close cleanly last time. Recover the autosaved segmentation of %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The segmentation has changes that were not saved or exported. Close anyway?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>medclick::ui::OrthoViewer</name>
    <message>
        <source>Axial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coronal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sagittal</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>medclick::ui::SessionController</name>
    <message>
        <source>Nothing to propagate: this slice has no mask, or it is the last slice.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
