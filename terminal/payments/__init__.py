"""Taking money: wallet payment codes (pay, poll, query, reverse), stored-value face pay,
the offline policy, and the queue of payments whose result is still unknown.

Every state change of a payment is committed to the store before the next network call,
and every call carries a client-made id the cloud dedupes on, so a crash or a lost answer
is resolved by asking again, never by charging again. No Qt and no threads here.
"""
