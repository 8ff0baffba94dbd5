/**
 * What the assign, edit and unassign pages share: the product in the path, the bulk pages' cap, and a
 * save that shows its form again with each problem on its row when it is refused (nothing was applied).
 */
import type { Request, Response } from 'express';
import { AppError, type FieldProblem } from '../errors.ts';
import { idFrom } from '../http/route-ids.ts';
import { attachProblems, type FormRow } from './item-form.ts';

/** The most products a bulk page takes at once. */
export const BULK_MAX = 50;

/** The product id in the path, or a not-found the merchant can read. */
export function productIdOf(req: Request): number {
  const id = idFrom(req.params.productId);
  if (id === undefined) throw new AppError('not_found', 'There is no such product in this store.');
  return id;
}

/** Runs a save; on a validation error, shows the form again (422) with the problems on their rows. */
export async function saveOrShow(
  res: Response,
  rows: FormRow[],
  save: () => Promise<void>,
  show: (problems: FieldProblem[], message: string) => Promise<void>,
): Promise<void> {
  try {
    await save();
  } catch (error) {
    if (!(error instanceof AppError) || !['validation', 'conflict'].includes(error.kind)) throw error;
    // Each problem shows once: on its row, or in the heading's list when it names no row.
    const unplaced = attachProblems(rows, error.details.problems ?? []);
    res.status(422);
    await show(unplaced, error.message);
  }
}
