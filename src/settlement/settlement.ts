/**
 * A day's settlement: the Shapley shares of the route game (route-game.ts), each compared with
 * that courier's stand-alone cost on the same work, made individually rational when the
 * coalition saves enough (cost-allocation.ts `repairIndividualRationality`), in whole fen that
 * sum to the joint cost. Pure: the stand-alone costs are computed by the planner and passed in.
 */
import { repairIndividualRationality, roundToTotal } from './cost-allocation.ts';
import type { DayAllocation } from './route-game.ts';

export const SETTLEMENT_RULE = 'shapley-route-game/v1';

/** A courier's stand-alone cost on exactly the work the joint plan did for it. */
export interface StandAlone {
  readonly costFen: number;
  /**
   * Items of this courier the joint plan served but the courier alone did not: the stand-alone
   * cost covers less work than the share, so it is a lower bound of the true stand-alone cost
   * (a share below it still proves the courier gains; a share above it proves nothing).
   */
  readonly missingItems: number;
}

export interface CourierSettlement {
  readonly courier: string;
  /** What the courier pays (fen). The shares of a day sum to its joint cost. */
  readonly shareFen: number;
  /** The Shapley share before any individual-rationality repair (fen). */
  readonly shapleyFen: number;
  readonly parts: { readonly vehicleDaysFen: number; readonly kmFen: number; readonly hoursFen: number };
  readonly routes: number;
  /** Stand-alone cost on the same work (fen); null when the day was planned without it. */
  readonly aloneFen: number | null;
  readonly aloneMissingItems: number;
  /** aloneFen − shareFen. */
  readonly savedFen: number | null;
  readonly belowAlone: boolean | null;
  /** The Shapley share was above the stand-alone cost and was capped at it. */
  readonly capped: boolean;
}

export interface DaySettlement {
  readonly rule: string;
  readonly jointCostFen: number;
  /** Σ stand-alone costs over couriers that have one (fen). */
  readonly aloneTotalFen: number | null;
  readonly couriers: readonly CourierSettlement[];
  /** Every courier with a stand-alone cost pays at most that. */
  readonly individuallyRational: boolean | null;
  /** Shapley shares were exact (not sampled). */
  readonly exact: boolean;
  readonly coreViolations: DayAllocation['coreViolations'];
}

export function settleDay(allocation: DayAllocation, alone: ReadonlyMap<string, StandAlone> | null): DaySettlement {
  const list = allocation.shares;
  const shapleyFen = list.map((s) => s.shareFen);
  const aloneFen = list.map((s) => (alone?.get(s.courier)?.costFen ?? null));
  const repaired = alone === null ? { shares: shapleyFen, capped: [] as number[], individuallyRational: true } : repairIndividualRationality(shapleyFen, aloneFen);
  const final = repaired.capped.length === 0 ? shapleyFen : roundToTotal(repaired.shares, allocation.jointCostFen);
  const capped = new Set(repaired.capped);
  const couriers: CourierSettlement[] = list.map((s, i) => {
    const a = aloneFen[i] ?? null;
    return {
      courier: s.courier,
      shareFen: final[i]!,
      shapleyFen: s.shareFen,
      parts: {
        vehicleDaysFen: Math.round(s.parts.vehicleDaysFen),
        kmFen: Math.round(s.parts.kmFen),
        hoursFen: Math.round(s.parts.hoursFen),
      },
      routes: s.routes,
      aloneFen: a,
      aloneMissingItems: alone?.get(s.courier)?.missingItems ?? 0,
      savedFen: a === null ? null : a - final[i]!,
      belowAlone: a === null ? null : final[i]! <= a,
      capped: capped.has(i),
    };
  });
  const known = couriers.filter((c) => c.aloneFen !== null);
  return {
    rule: SETTLEMENT_RULE,
    jointCostFen: allocation.jointCostFen,
    aloneTotalFen: alone === null ? null : known.reduce((a, c) => a + c.aloneFen!, 0),
    couriers,
    individuallyRational: alone === null ? null : known.every((c) => c.belowAlone === true),
    exact: allocation.exact,
    coreViolations: allocation.coreViolations,
  };
}
