/**
 * Workbench state across reloads: restored from JupyterLab's state database
 * when a workbench opens (references, parameters, ROIs, state of charge,
 * layout), saved (debounced) whenever they change; then, if the workbench
 * still has no references, the companion `<stem>_references.csv` beside the
 * stack is loaded.
 */
import type { IStateDB } from '@jupyterlab/statedb';

import type { StxmDocument } from './document.js';
import { loadWorkbench, saveWorkbench } from './persist.js';
import { companionReferencesPath, fileExists } from './references.js';
import type { ActionServices } from './actions.js';

/**
 * Not under the tracker's namespace ("stxm-phasemap:"): the layout restorer
 * treats every key there as a panel to reopen, and drops the ones it cannot.
 */
const PREFIX = 'stxm-phasemap-workbench:';

export async function attachState(
  doc: StxmDocument,
  state: IStateDB | null,
  services: ActionServices
): Promise<void> {
  const model = doc.model;
  const key = (): string => PREFIX + doc.context.path;
  if (state) {
    try {
      const saved = loadWorkbench(await state.fetch(key()));
      if (saved && !doc.isDisposed) {
        if (saved.params) {
          model.setParams(saved.params);
        }
        if (saved.references) {
          model.setReferences(saved.references, saved.referencesOrigin ?? {});
        }
        if (saved.rois.length) {
          model.restoreRois(saved.rois);
        }
        if (saved.stateOfCharge !== null) {
          model.setStateOfCharge(saved.stateOfCharge);
        }
        if (saved.layout) {
          doc.content.layoutState = saved.layout;
        }
      }
    } catch {
      // nothing saved, or unreadable: start afresh
    }
    let timer: ReturnType<typeof setTimeout> | 0 = 0;
    const save = (): void => {
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(() => {
        timer = 0;
        if (doc.isDisposed) {
          return;
        }
        void state.save(
          key(),
          saveWorkbench({
            references: model.references,
            referencesOrigin: model.referencesOrigin,
            params: model.params,
            rois: [...model.rois],
            stateOfCharge: model.stateOfCharge,
            layout: doc.content.layoutState
          })
        );
      }, 300);
    };
    // what is kept: the references, the parameters (τ too), the ROIs, the state of charge
    model.referencesChanged.connect(save);
    model.paramsChanged.connect(save);
    model.thresholdChanged.connect(save);
    model.roisChanged.connect(save);
    model.stateOfChargeChanged.connect(save);
    doc.content.layoutChanged.connect(save);
    doc.context.pathChanged.connect((_, path) => {
      void state.remove(PREFIX + path).catch(() => undefined);
      save();
    });
  }
  await doc.context.ready;
  if (!model.references && !doc.isDisposed) {
    const companion = companionReferencesPath(doc.context.path);
    if (await fileExists(services.contents, companion)) {
      await doc.actions.loadReferencesPath(companion);
    }
  }
}
