import type { Order } from '../matching/order';

/** One user's balances (minor units, indexed by currency) and open-order bookkeeping. */
export class UserAccount {
  readonly available: number[];
  readonly hold: number[];
  /** Stamp of the last change per currency, so each balance is reported once per command. */
  readonly marks: number[];
  /** Open orders, oldest first, linked through `Order.userPrev/userNext`. */
  ordersHead: Order | null = null;
  ordersTail: Order | null = null;
  openByClientOid: Map<string, Order> | null = null;
  recentClientOids: Set<string> | null = null;

  constructor(
    readonly index: number,
    readonly id: string,
    currencies: number,
  ) {
    this.available = new Array<number>(currencies).fill(0);
    this.hold = new Array<number>(currencies).fill(0);
    this.marks = new Array<number>(currencies).fill(-1);
  }

  link(order: Order): void {
    order.userPrev = this.ordersTail;
    order.userNext = null;
    if (this.ordersTail === null) this.ordersHead = order;
    else this.ordersTail.userNext = order;
    this.ordersTail = order;
    if (order.clientOid !== null) (this.openByClientOid ??= new Map()).set(order.clientOid, order);
  }

  unlink(order: Order): void {
    const { userPrev, userNext } = order;
    if (userPrev === null) this.ordersHead = userNext;
    else userPrev.userNext = userNext;
    if (userNext === null) this.ordersTail = userPrev;
    else userNext.userPrev = userPrev;
    order.userPrev = null;
    order.userNext = null;
    if (order.clientOid !== null) this.openByClientOid?.delete(order.clientOid);
  }
}

/**
 * Balances of every user plus, per currency, the supply (deposits minus withdrawals).
 * Deposits are refused beyond a safe-integer supply, so no balance or sum of balances of a
 * currency can leave the exact integer range. Callers check availability before moving funds.
 */
export class Ledger {
  readonly users: UserAccount[] = [];
  readonly supply: number[];
  /** (user, currency) pairs changed since `begin`, each once, in order of first change: the first `touchedCount`. */
  readonly touchedUsers: UserAccount[] = [];
  readonly touchedCurrencies: number[] = [];
  touchedCount = 0;
  private readonly byId = new Map<string, UserAccount>();
  private stamp = 0;

  constructor(private readonly currencies: number) {
    this.supply = new Array<number>(currencies).fill(0);
  }

  begin(stamp: number): void {
    this.stamp = stamp;
    this.touchedCount = 0;
  }

  find(userId: string): UserAccount | undefined {
    return this.byId.get(userId);
  }

  /** The user's account, created empty on first use (only when funds arrive). */
  open(userId: string): UserAccount {
    let user = this.byId.get(userId);
    if (user === undefined) {
      user = new UserAccount(this.users.length, userId, this.currencies);
      this.users.push(user);
      this.byId.set(userId, user);
    }
    return user;
  }

  credit(user: UserAccount, currency: number, amount: number): void {
    user.available[currency]! += amount;
    this.touch(user, currency);
  }

  debit(user: UserAccount, currency: number, amount: number): void {
    user.available[currency]! -= amount;
    this.touch(user, currency);
  }

  hold(user: UserAccount, currency: number, amount: number): void {
    user.available[currency]! -= amount;
    user.hold[currency]! += amount;
    this.touch(user, currency);
  }

  release(user: UserAccount, currency: number, amount: number): void {
    user.hold[currency]! -= amount;
    user.available[currency]! += amount;
    this.touch(user, currency);
  }

  /** Held funds leave the account (paid in a trade). */
  spendHold(user: UserAccount, currency: number, amount: number): void {
    user.hold[currency]! -= amount;
    this.touch(user, currency);
  }

  private touch(user: UserAccount, currency: number): void {
    if (user.marks[currency] !== this.stamp) {
      user.marks[currency] = this.stamp;
      this.touchedUsers[this.touchedCount] = user;
      this.touchedCurrencies[this.touchedCount++] = currency;
    }
  }
}
