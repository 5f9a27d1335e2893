// Interop with other frameworks' file formats.
export { encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors, torchNames, type Tensor, type SafetensorsFile } from './safetensors.js';
