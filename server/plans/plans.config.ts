/**
 * The plans, in one place. Limits count assigned products (the unit of assignment); prices are in US
 * cents (Unified Billing bills in USD only). Each paid plan is a Unified Billing `productLevel` of the app:
 * BigCommerce reports the level a subscription is on, and the level names the plan. Changing a price here
 * affects new checkouts only; subscriptions keep the price the merchant accepted.
 */
export interface Plan {
  id: PlanId;
  name: string;
  /** The most products that may be assigned at once; null means no limit. */
  assignedProductLimit: number | null;
  monthlyPriceCents: number;
  /** The price of a year paid at once; null: monthly only. */
  annualPriceCents: number | null;
  /** Unified Billing's `productLevel`; null for Free, which needs no checkout. */
  productLevel: string | null;
}

export type PlanId = 'free' | 'starter' | 'growth' | 'scale';
export type PlanInterval = 'MONTH' | 'ANNUAL';

export const PLANS: readonly Plan[] = [
  { id: 'free', name: 'Free', assignedProductLimit: 1, monthlyPriceCents: 0, annualPriceCents: null, productLevel: null },
  { id: 'starter', name: 'Starter', assignedProductLimit: 50, monthlyPriceCents: 9_99, annualPriceCents: 99_00, productLevel: 'Starter' },
  { id: 'growth', name: 'Growth', assignedProductLimit: 500, monthlyPriceCents: 29_99, annualPriceCents: 299_00, productLevel: 'Growth' },
  { id: 'scale', name: 'Scale', assignedProductLimit: 10_000, monthlyPriceCents: 79_99, annualPriceCents: 799_00, productLevel: 'Scale' },
];

export const DEFAULT_PLAN_ID: PlanId = 'free';

/** The plan with this id. */
export function planById(id: string): Plan | undefined {
  return PLANS.find((plan) => plan.id === id);
}

/** The plan a Unified Billing subscription's `productLevel` stands for. */
export function planByLevel(level: string | null): Plan | undefined {
  return level ? PLANS.find((plan) => plan.productLevel?.toLowerCase() === level.toLowerCase()) : undefined;
}

/** The plan's price for an interval; undefined when the plan is not sold so. */
export function priceOf(plan: Plan, interval: PlanInterval): number | undefined {
  return interval === 'MONTH' ? plan.monthlyPriceCents : (plan.annualPriceCents ?? undefined);
}

/** The plan's rank by price, so "higher" and "lower" compare plans. */
export function rankOf(plan: Plan): number {
  return PLANS.indexOf(plan);
}
