/**
 * Typed wiring. Ports are abstract classes (the class is both the token and the type); plain
 * values have typed tokens. A use case lists what it needs in `static inject`, in constructor
 * order, and `useCase()` makes the type checker hold that list against the constructor: naming the
 * wrong port, or ports in the wrong order, does not compile.
 */
import type { ContainerModuleLoadOptions } from 'inversify';
import type { ValueToken } from '../domain/ports/value-token.js';

type AbstractClass<T> = abstract new (...args: never[]) => T;

/** Anything a use case can ask for: a port or another use case (by class), or a provided value. */
export type Token<T = unknown> = AbstractClass<T> | ValueToken<T>;

/** The types a list of tokens resolves to, in order. */
export type Resolved<Tokens extends readonly Token[]> = {
  -readonly [K in keyof Tokens]: Tokens[K] extends ValueToken<infer V> ? V : Tokens[K] extends AbstractClass<infer I> ? I : never;
};

/** A use case class: its constructor takes exactly what its `inject` list resolves to. */
export interface UseCaseClass<T = unknown, Tokens extends readonly Token[] = readonly Token[]> {
  new (...dependencies: Resolved<Tokens>): T;
  readonly inject: Tokens;
}

/** Checks a use case's `inject` list against its constructor (at compile time) and returns it unchanged. */
export function useCase<T, const Tokens extends readonly Token[]>(
  useCaseClass: UseCaseClass<T, Tokens>,
): UseCaseClass<T, Tokens> {
  return useCaseClass;
}

/** Use case classes by the name a caller reaches each by. */
export type UseCaseMap = Readonly<Record<string, UseCaseClass>>;

/** The use cases of a map, built. */
export type Built<Map extends UseCaseMap> = { readonly [Name in keyof Map]: InstanceType<Map[Name]> };

/**
 * Binds each use case given, and every use case it needs (its `inject` list, transitively), as a
 * singleton built from its `inject` list: a container holds only the use cases its entry points reach.
 */
export function bindUseCases(bind: ContainerModuleLoadOptions['bind'], entries: readonly UseCaseClass[]): void {
  const bound = new Set<UseCaseClass>();
  const visit = (useCaseClass: UseCaseClass): void => {
    if (bound.has(useCaseClass)) return;
    bound.add(useCaseClass);
    bind(useCaseClass)
      .toDynamicValue(
        (context) => new useCaseClass(...(useCaseClass.inject.map((token) => context.get(token)) as Resolved<readonly Token[]>)),
      )
      .inSingletonScope();
    for (const token of useCaseClass.inject) if (isUseCaseClass(token)) visit(token);
  };
  entries.forEach(visit);
}

/** A use case names what it needs in a static `inject` list; a port (an abstract class) or a value token does not. */
function isUseCaseClass(token: Token): token is UseCaseClass {
  return typeof token === 'function' && 'inject' in token;
}
