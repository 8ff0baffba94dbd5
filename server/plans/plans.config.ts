/**
 * The plans, in one place. Limits count assigned products (the unit of assignment); prices are per month
 * in US cents. Changing a price here affects new charges only; the billing ledger keeps what was charged.
 */
export interface Plan {
  id: PlanId;
  name: string;
  /** The most products that may be assigned at once; null means no limit. */
  assignedProductLimit: number | null;
  monthlyPriceCents: number;
}

export type PlanId = 'free' | 'starter' | 'growth' | 'scale';

export const PLANS: readonly Plan[] = [
  { id: 'free', name: 'Free', assignedProductLimit: 1, monthlyPriceCents: 0 },
  { id: 'starter', name: 'Starter', assignedProductLimit: 50, monthlyPriceCents: 9_99 },
  { id: 'growth', name: 'Growth', assignedProductLimit: 500, monthlyPriceCents: 29_99 },
  { id: 'scale', name: 'Scale', assignedProductLimit: 10_000, monthlyPriceCents: 79_99 },
];

export const DEFAULT_PLAN_ID: PlanId = 'free';

export function planById(id: string): Plan | undefined {
  return PLANS.find((plan) => plan.id === id);
}
