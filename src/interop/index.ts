// Interop with other frameworks' file formats.
export { encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors, torchNames, type Tensor, type SafetensorsFile } from './safetensors.js';
export { exportTorch, importTorch, TORCH_FORMAT, type TorchData, type TorchExportOptions, type TorchFiles } from './torch.js';
