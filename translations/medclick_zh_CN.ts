<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>IKAN (bundled weights)</source>
        <translation>IKAN（内置权重）</translation>
    </message>
    <message>
        <source>Classical (watershed, no model)</source>
        <translation>传统方法（分水岭，无模型）</translation>
    </message>
    <message>
        <source>IKAN (2D)</source>
        <translation>IKAN（2D）</translation>
    </message>
    <message>
        <source>%1 fine-tuned (%2)</source>
        <translation>%1 微调模型（%2）</translation>
    </message>
    <message>
        <source>CAISeg (3D volumes)</source>
        <translation>CAISeg（三维体数据）</translation>
    </message>
    <message>
        <source>%1 (automatic, %2)</source>
        <translation>%1（自动，%2）</translation>
    </message>
    <message>
        <source>%1 (automatic)</source>
        <translation>%1（自动）</translation>
    </message>
    <message>
        <source>IKAN, small structures (OCT fluid)</source>
        <translation>IKAN，小结构（OCT 积液）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Click-based interactive segmentation of medical images.</source>
        <translation>基于点击的医学图像交互式分割。</translation>
    </message>
    <message>
        <source>An image, a DICOM folder or a .medclick session to open.</source>
        <translation>要打开的图像、DICOM 文件夹或 .medclick 会话。</translation>
    </message>
    <message>
        <source>A click X,Y[,+|-] on the shown slice (repeatable).</source>
        <translation>在当前显示的切片上点击 X,Y[,+|-]（可重复指定）。</translation>
    </message>
    <message>
        <source>Save a screenshot of the window and quit.</source>
        <translation>保存窗口截图后退出。</translation>
    </message>
    <message>
        <source>Do not offer to recover an autosave.</source>
        <translation>不提示恢复自动保存的内容。</translation>
    </message>
</context>
<context>
    <name>medclick::ui::CursorReadout</name>
    <message>
        <source>Voxel (%1, %2, %3)</source>
        <translation>体素 (%1, %2, %3)</translation>
    </message>
    <message>
        <source>Position (%1, %2, %3) mm</source>
        <translation>位置 (%1, %2, %3) mm</translation>
    </message>
    <message>
        <source>Intensity %1</source>
        <translation>强度 %1</translation>
    </message>
</context>
<context>
    <name>medclick::ui::FineTuneDialog</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Fine-tune on Local Data</source>
        <translation>基于本地数据微调</translation>
    </message>
    <message>
        <source>A dataset folder:</source>
        <translation>数据集文件夹：</translation>
    </message>
    <message>
        <source>images/ + masks/, BUSI or MSD layout</source>
        <translation>images/ + masks/、BUSI 或 MSD 目录结构</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Cases annotated in this app (none saved here)</source>
        <translation>本应用中标注的病例（尚未保存任何病例）</translation>
    </message>
    <message numerus="yes">
        <source>Cases annotated in this app (%n case(s) in %1)</source>
        <translation>
            <numerusform>本应用中标注的病例（%1 中共 %n 例）</numerusform>
        </translation>
    </message>
    <message>
        <source>Automatic (CUDA when present)</source>
        <translation>自动（有 CUDA 时使用 CUDA）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>none: train from scratch</source>
        <translation>无：从头开始训练</translation>
    </message>
    <message>
        <source>Cases and model</source>
        <translation>病例与模型</translation>
    </message>
    <message>
        <source>Cases:</source>
        <translation>病例：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>训练轮次：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Start from weights:</source>
        <translation>初始权重：</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Training loss (epoch&apos;s running mean)</source>
        <translation>训练损失（本轮次累计平均值）</translation>
    </message>
    <message>
        <source>Validation IoU</source>
        <translation>验证 IoU</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel Training</source>
        <translation>取消训练</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Labeled Dataset Folder</source>
        <translation>已标注数据集文件夹</translation>
    </message>
    <message>
        <source>Start from Weights</source>
        <translation>选择初始权重</translation>
    </message>
    <message>
        <source>Weights (*.safetensors);;All files (*)</source>
        <translation>权重 (*.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Fine-tuning is not available in this build.</source>
        <translation>当前构建版本不支持微调。</translation>
    </message>
    <message>
        <source>No model can be fine-tuned.</source>
        <translation>没有可微调的模型。</translation>
    </message>
    <message>
        <source>No case has been accepted in this app yet (%1): accept a segmentation first.</source>
        <translation>本应用中尚未接受任何病例（%1）：请先接受一个分割结果。</translation>
    </message>
    <message>
        <source>Choose a labeled dataset folder (images/ + masks/, BUSI or MSD layout).</source>
        <translation>请选择已标注的数据集文件夹（images/ + masks/、BUSI 或 MSD 目录结构）。</translation>
    </message>
    <message>
        <source>The weights file %1 does not exist.</source>
        <translation>权重文件 %1 不存在。</translation>
    </message>
    <message>
        <source>Preparing the cases…</source>
        <translation>正在准备病例…</translation>
    </message>
    <message>
        <source>an error without a message</source>
        <translation>一个未附带信息的错误</translation>
    </message>
    <message>
        <source>an unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Cancelling: the job stops after its current step…</source>
        <translation>正在取消：任务将在当前步骤完成后停止…</translation>
    </message>
    <message>
        <source>Epoch %1 of %2: training loss %3, validation IoU %4.</source>
        <translation>第 %1/%2 轮：训练损失 %3，验证 IoU %4。</translation>
    </message>
    <message>
        <source>Epoch %1 of %2, step %3 of %4 · %5 samples/s · about %6 left</source>
        <translation>第 %1/%2 轮，第 %3/%4 步 · %5 样本/秒 · 剩余约 %6</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>Training cancelled after %n finished epoch(s); the checkpoints are in %1.</source>
        <translation>
            <numerusform>训练已在完成 %n 个轮次后取消；检查点保存在 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Training cancelled before an epoch finished.</source>
        <translation>训练在完成第一个轮次之前已取消。</translation>
    </message>
    <message>
        <source>Training ended without weights: no epoch finished (see %1).</source>
        <translation>训练结束但未生成权重：没有完成任何轮次（参见 %1）。</translation>
    </message>
    <message>
        <source>Finished: best validation IoU %1 at epoch %2. The new weights are in %3.</source>
        <translation>已完成：最佳验证 IoU 为 %1（第 %2 轮）。新权重保存在 %3。</translation>
    </message>
</context>
<context>
    <name>medclick::ui::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>系统默认</translation>
    </message>
</context>
<context>
    <name>medclick::ui::MainWindow</name>
    <message>
        <source>Images (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm);;All files (*)</source>
        <translation>图像 (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>MedClick</source>
        <translation>MedClick</translation>
    </message>
    <message>
        <source>No segmentation model is ready: choose one in the tool bar.</source>
        <translation>没有可用的分割模型：请在工具栏中选择一个模型。</translation>
    </message>
    <message>
        <source>Last refinement: %1 ms</source>
        <translation>上次细化耗时：%1 ms</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1（运行于 %2）</translation>
    </message>
    <message>
        <source>Refining…</source>
        <translation>正在细化…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Image…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Open &amp;DICOM Folder…</source>
        <translation>打开 DICOM 文件夹(&amp;D)…</translation>
    </message>
    <message>
        <source>Open DICOM Folder</source>
        <translation>打开 DICOM 文件夹</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;Session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>MedClick sessions (*.medclick)</source>
        <translation>MedClick 会话 (*.medclick)</translation>
    </message>
    <message>
        <source>&amp;Save Session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>&amp;Export Mask</source>
        <translation>导出掩膜(&amp;E)</translation>
    </message>
    <message>
        <source>As &amp;NIfTI…</source>
        <translation>NIfTI 格式(&amp;N)…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Export Mask</source>
        <translation>导出掩膜</translation>
    </message>
    <message>
        <source>NIfTI (*.nii.gz *.nii)</source>
        <translation>NIfTI (*.nii.gz *.nii)</translation>
    </message>
    <message>
        <source>As &amp;PNG…</source>
        <translation>PNG 格式(&amp;P)…</translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation>PNG (*.png)</translation>
    </message>
    <message>
        <source>As PNG &amp;Folder (one per slice)…</source>
        <translation>PNG 文件夹（每个切片一张）(&amp;F)…</translation>
    </message>
    <message>
        <source>Export Mask Slices</source>
        <translation>导出掩膜切片</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation>Ctrl+Shift+Z</translation>
    </message>
    <message>
        <source>&amp;Clear Slice</source>
        <translation>清除切片掩膜(&amp;C)</translation>
    </message>
    <message>
        <source>Ctrl+Backspace</source>
        <translation>Ctrl+Backspace</translation>
    </message>
    <message>
        <source>&amp;Fill Holes</source>
        <translation>填充孔洞(&amp;F)</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Accept (add to local cases)</source>
        <translation>接受（添加到本地病例）(&amp;A)</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>&amp;Segmentation</source>
        <translation>分割(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Click (left +, right −)</source>
        <translation>点击（左键 +，右键 −）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Brush</source>
        <translation>画笔(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>橡皮擦(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Navigate (move cross-hairs)</source>
        <translation>导航（移动十字线）(&amp;N)</translation>
    </message>
    <message>
        <source>Propagate to &amp;Next Slice</source>
        <translation>传播到下一切片(&amp;N)</translation>
    </message>
    <message>
        <source>Ctrl+]</source>
        <translation>Ctrl+]</translation>
    </message>
    <message>
        <source>Propagate to &amp;Previous Slice</source>
        <translation>传播到上一切片(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+[</source>
        <translation>Ctrl+[</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Mask &amp;Outline Only</source>
        <translation>仅显示掩膜轮廓(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Reset Zoom</source>
        <translation>重置缩放(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Fine-tune on Local Data…</source>
        <translation>基于本地数据微调(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MedClick</source>
        <translation>关于 MedClick(&amp;A)</translation>
    </message>
    <message>
        <source>About MedClick</source>
        <translation>关于 MedClick</translation>
    </message>
    <message>
        <source>&lt;b&gt;MedClick&lt;/b&gt; %1&lt;br&gt;Click-based interactive segmentation of medical images.&lt;br&gt;Left click: object; right click or Shift+click: background; wheel: slice; Ctrl+wheel: zoom; middle drag: pan; right drag: window/level.</source>
        <translation>&lt;b&gt;MedClick&lt;/b&gt; %1&lt;br&gt;基于点击的医学图像交互式分割。&lt;br&gt;左键单击：目标；右键单击或 Shift+单击：背景；滚轮：切换切片；Ctrl+滚轮：缩放；中键拖动：平移；右键拖动：调节窗宽/窗位。</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>%1 — MedClick</source>
        <translation>%1 — MedClick</translation>
    </message>
    <message>
        <source>MedClick did not close cleanly last time. Recover the autosaved segmentation of %1?</source>
        <translation>MedClick 上次未正常关闭。是否恢复 %1 自动保存的分割结果？</translation>
    </message>
    <message>
        <source>The segmentation has changes that were not saved or exported. Close anyway?</source>
        <translation>分割结果有尚未保存或导出的更改。仍要关闭吗？</translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation>语言设置将在下次启动时生效。</translation>
    </message>
    <message>
        <source>The 3D surface cannot be shown: %1</source>
        <translation>无法显示三维表面：%1</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <source>%1 on %2, clicks: %3</source>
        <translation>%1（运行于 %2），点击：%3</translation>
    </message>
    <message>
        <source>&amp;Automatic Mask</source>
        <translation>自动掩膜(&amp;A)</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Automatic mask from the chosen automatic 2D model (KM-UNet, KANU-Net) or 3D model; clicks then refine it</source>
        <translation>由所选的二维自动模型（KM-UNet、KANU-Net）或三维模型生成自动掩膜；随后可用点击细化</translation>
    </message>
    <message>
        <source>Choose an automatic model (KM-UNet, KANU-Net) or a 3D model for an automatic mask.</source>
        <translation>请选择自动模型（KM-UNet、KANU-Net）或三维模型以生成自动掩膜。</translation>
    </message>
    <message>
        <source>These weights cannot be used.

%1</source>
        <translation>无法使用这些权重。

%1</translation>
    </message>
    <message>
        <source>This build offers no models.</source>
        <translation>此版本未提供任何模型。</translation>
    </message>
    <message>
        <source>As &amp;Slicer Segmentation…</source>
        <translation>为 &amp;Slicer 分割…</translation>
    </message>
    <message>
        <source>Export Segmentation</source>
        <translation>导出分割</translation>
    </message>
    <message>
        <source>Slicer segmentation (*.seg.nrrd)</source>
        <translation>Slicer 分割 (*.seg.nrrd)</translation>
    </message>
    <message>
        <source>Fill &amp;Between Slices</source>
        <translation>层间填充(&amp;B)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <source>Fills the active segment on every slice between two slices where it is drawn, in the current view&apos;s orientation</source>
        <translation>在当前视图方向上，于绘制了当前分段的两层之间的每一层填充该分段</translation>
    </message>
    <message>
        <source>As &amp;DICOM SEG…</source>
        <translation>为 &amp;DICOM SEG…</translation>
    </message>
    <message>
        <source>Export DICOM SEG</source>
        <translation>导出 DICOM SEG</translation>
    </message>
    <message>
        <source>DICOM (*.dcm)</source>
        <translation>DICOM (*.dcm)</translation>
    </message>
    <message>
        <source>The segmentation has changes that were not saved or exported, and opening another replaces it (it cannot be undone). Open anyway?</source>
        <translation>分割有尚未保存或导出的更改，打开另一个分割会替换它（无法撤销）。仍要打开吗？</translation>
    </message>
    <message>
        <source>Open Se&amp;gmentation…</source>
        <translation>打开分割(&amp;g)…</translation>
    </message>
    <message>
        <source>Open Segmentation</source>
        <translation>打开分割</translation>
    </message>
    <message>
        <source>Label maps (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.tif *.tiff);;All files (*)</source>
        <translation>标签图 (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.tif *.tiff);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>medclick::ui::OrthoViewer</name>
    <message>
        <source>Axial</source>
        <translation>轴位</translation>
    </message>
    <message>
        <source>Coronal</source>
        <translation>冠状位</translation>
    </message>
    <message>
        <source>Sagittal</source>
        <translation>矢状位</translation>
    </message>
</context>
<context>
    <name>medclick::ui::SegmentListDock</name>
    <message>
        <source>Segments</source>
        <translation>分段</translation>
    </message>
    <message>
        <source>Import Label Descriptions</source>
        <translation>导入标签描述</translation>
    </message>
    <message>
        <source>Label descriptions (*.txt);;All files (*)</source>
        <translation>标签描述 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export Label Descriptions</source>
        <translation>导出标签描述</translation>
    </message>
    <message>
        <source>Label descriptions (*.txt)</source>
        <translation>标签描述 (*.txt)</translation>
    </message>
    <message>
        <source>The label descriptions were not imported.

%1</source>
        <translation>标签描述未导入。

%1</translation>
    </message>
    <message>
        <source>The label descriptions were not exported.

%1</source>
        <translation>标签描述未导出。

%1</translation>
    </message>
    <message>
        <source>Remove the segment &apos;%1&apos; and its voxels? This cannot be undone.</source>
        <translation>删除分段“%1”及其体素？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Segment Colour</source>
        <translation>分段颜色</translation>
    </message>
</context>
<context>
    <name>medclick::ui::SegmentListPanel</name>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Visible</source>
        <translation>可见</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>A new segment in the next colour; it becomes the active one</source>
        <translation>以下一种颜色新建分段，并设为当前分段</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Removes the selected segment and its voxels (this clears the undo history)</source>
        <translation>删除所选分段及其体素（会清空撤销历史）</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Names and colours from an ITK-SNAP label description file</source>
        <translation>从 ITK-SNAP 标签描述文件读取名称和颜色</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>The segments&apos; names and colours as an ITK-SNAP label description file</source>
        <translation>将分段的名称和颜色导出为 ITK-SNAP 标签描述文件</translation>
    </message>
    <message>
        <source>Never overwrite other segments</source>
        <translation>从不覆盖其他分段</translation>
    </message>
    <message>
        <source>Overwrite unlocked segments</source>
        <translation>覆盖未锁定的分段</translation>
    </message>
    <message>
        <source>What the active segment&apos;s edits may take: only the background, or also the voxels of segments that are not locked</source>
        <translation>当前分段的编辑可占用的体素：仅背景，或也包括未锁定分段的体素</translation>
    </message>
    <message>
        <source>Edits may change:</source>
        <translation>编辑可更改：</translation>
    </message>
    <message>
        <source>Double-click to change the colour</source>
        <translation>双击以更改颜色</translation>
    </message>
</context>
<context>
    <name>medclick::ui::SegmentationToolBar</name>
    <message>
        <source>Segmentation</source>
        <translation>分割</translation>
    </message>
    <message>
        <source> Model: </source>
        <translation> 模型： </translation>
    </message>
    <message>
        <source>Weights…</source>
        <translation>权重…</translation>
    </message>
    <message>
        <source>Choose Weights</source>
        <translation>选择权重</translation>
    </message>
    <message>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source> Device: </source>
        <translation> 设备： </translation>
    </message>
    <message>
        <source> Brush: </source>
        <translation> 画笔： </translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source> Opacity: </source>
        <translation> 不透明度： </translation>
    </message>
</context>
<context>
    <name>medclick::ui::SessionController</name>
    <message>
        <source>Nothing to propagate: this slice has no mask, or it is the last slice.</source>
        <translation>没有可传播的内容：此切片没有掩膜，或已是最后一张切片。</translation>
    </message>
    <message>
        <source>Nothing to fill: draw the active segment on two slices with slices between them.</source>
        <translation>无可填充：请在中间隔有其他层的两层上绘制当前分段。</translation>
    </message>
</context>
<context>
    <name>medclick::ui::SessionDocument</name>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>Cannot open this image; the current work stays open.

%1</source>
        <translation>无法打开此图像；当前工作保持不变。

%1</translation>
    </message>
    <message numerus="yes">
        <source>%n further modality(ies) of this case loaded for the automatic models</source>
        <translation>
            <numerusform>已为自动模型载入本病例的另外 %n 个模态</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 NaN/Inf voxels were shown as the minimum intensity.</source>
        <translation>%1 个 NaN/Inf 体素已按最小强度显示。</translation>
    </message>
    <message>
        <source>Cannot open this session; the current work stays open.

%1</source>
        <translation>无法打开此会话；当前工作保持不变。

%1</translation>
    </message>
    <message>
        <source>The session was not saved.

%1</source>
        <translation>会话未保存。

%1</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>会话已保存到 %1</translation>
    </message>
    <message>
        <source>The mask was not exported.

%1</source>
        <translation>掩膜未导出。

%1</translation>
    </message>
    <message>
        <source>Mask exported to %1</source>
        <translation>掩膜已导出到 %1</translation>
    </message>
    <message>
        <source>Mask slices exported to %1</source>
        <translation>掩膜切片已导出到 %1</translation>
    </message>
    <message>
        <source>The mask is empty: there is nothing to accept.</source>
        <translation>掩膜为空：没有可接受的内容。</translation>
    </message>
    <message>
        <source>The case was not added to the local cases.

%1</source>
        <translation>该病例未添加到本地病例。

%1</translation>
    </message>
    <message>
        <source>Accepted: added to the local cases as %1</source>
        <translation>已接受：已作为 %1 添加到本地病例</translation>
    </message>
    <message>
        <source>An autosaved session was found but cannot be read; it is kept in %1.

%2</source>
        <translation>发现自动保存的会话，但无法读取；该文件已保留在 %1。

%2</translation>
    </message>
    <message>
        <source>A DICOM SEG belongs to the DICOM series it was drawn on, and this image was not read from one (%1). Export the segmentation as NIfTI or as a Slicer segmentation instead.</source>
        <translation>DICOM SEG 属于绘制它的 DICOM 序列，而此图像并非从 DICOM 序列读取（%1）。请改为导出 NIfTI 或 Slicer 分割。</translation>
    </message>
    <message>
        <source>The DICOM SEG was not exported.

%1</source>
        <translation>DICOM SEG 未导出。

%1</translation>
    </message>
    <message>
        <source>DICOM SEG exported to %1</source>
        <translation>DICOM SEG 已导出到 %1</translation>
    </message>
    <message>
        <source>Cannot open this segmentation; the current one stays.

%1</source>
        <translation>无法打开此分割；当前分割保持不变。

%1</translation>
    </message>
    <message numerus="yes">
        <source>Segmentation opened from %1: %n segment(s)</source>
        <translation>
            <numerusform>已从 %1 打开分割：%n 个分段</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>medclick::ui::WindowPresetMenu</name>
    <message>
        <source>Window &amp;Presets</source>
        <translation>窗宽/窗位预设(&amp;P)</translation>
    </message>
    <message>
        <source>Full Range</source>
        <translation>全范围</translation>
    </message>
    <message>
        <source>CT Soft Tissue (400/40)</source>
        <translation>CT 软组织窗（400/40）</translation>
    </message>
    <message>
        <source>CT Lung (1500/−600)</source>
        <translation>CT 肺窗（1500/−600）</translation>
    </message>
    <message>
        <source>CT Bone (2000/300)</source>
        <translation>CT 骨窗（2000/300）</translation>
    </message>
    <message>
        <source>CT Brain (80/40)</source>
        <translation>CT 脑窗（80/40）</translation>
    </message>
</context>
</TS>
