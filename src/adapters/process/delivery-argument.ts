/** The argument that makes the CLI's entry run one background delivery instead of a command. In a module of its own, so the entry can read it without loading anything. */
export const DELIVERY_ARGUMENT = '__deliver';
/** After the state directory: this delivery takes over mid-burst from one that ran out of time. */
export const CONTINUES_BURST_ARGUMENT = 'continues-burst';
