/*
 * The editors of a scope's layers, one file each under editors/, with the
 * field-mode machine they share in editors/layerForm.ts.
 */
export { BranchEditor, type BranchEditorProps } from './editors/BranchEditor';
export { ConfirmWrite } from './editors/ConfirmWrite';
export { EntryEditor } from './editors/EntryEditor';
export { ProcedureEditor, type ProcedureEditorProps } from './editors/ProcedureEditor';
export { historyPath, KINDS, type FieldMode, type LayerFetcher } from './editors/shell';
