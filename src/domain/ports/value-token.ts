/**
 * A typed name for a plain value the composition root provides (the environment, runtime facts).
 * Ports are abstract classes, which name their own type; a value needs this to carry one.
 */
export type ValueToken<T> = symbol & { readonly valueType: T };

export function valueToken<T>(name: string): ValueToken<T> {
  return Symbol(name) as ValueToken<T>;
}
