import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ValidationUtils } from 'class-validator/cjs/validation/ValidationUtils';
import { RECORDED_DATA } from './groups';
import type { FieldError, ValidationResult } from './result';
import { shapeErrors } from './shape';
import type { ValidateInstanceOptions } from './validate';

/**
 * A contract class's rules, read once from class-validator's metadata and checked straight on
 * parsed JSON: the same rules, the same verdicts, the same field paths and messages as
 * {@link validateInstance} (class-transformer's `plainToInstance`, then class-validator's
 * `validateSync` with the contract's options), without building instances or looking the rules
 * up again for every object. Events are checked this way on every publish and every consume
 * (docs/contracts.md, "Checking events"); the equivalence is a property test
 * (libs/messaging/src/compiled-checker.properties.spec.ts).
 *
 * It mirrors class-validator 0.15's ValidationExecutor: unknown properties first, then each
 * property's conditions, rules (in registration order, one message per rule name) and nested
 * classes (through arrays, at any depth). Where class-validator takes an object's class from
 * its constructor, this takes it from the property's `@Type`, which is what `plainToInstance`
 * would have built there.
 */
export type CompiledChecker<T> = (plain: unknown) => ValidationResult<T>;

/** A contract class, as the metadata storages know it. */
type ClassRef = abstract new (...args: never[]) => unknown;

interface CustomRule {
  metadata: ValidationMetadata;
  name: string;
  async: boolean;
  instance: ValidatorConstraintInterface;
}

interface PropertyPlan {
  name: string;
  conditions: ValidationMetadata[];
  /** `@IsDefined` rules: checked before the others, as class-validator does. */
  defined: CustomRule[];
  rules: CustomRule[];
  nested: ValidationMetadata[];
  /** The class of objects under this property (`@Type`); set when `nested` is not empty. */
  nestedPlan?: ClassPlan;
}

interface ClassPlan {
  name: string;
  /** No rule applies: class-validator's `forbidUnknownValues` error. */
  empty: boolean;
  allowed: Set<string>;
  properties: PropertyPlan[];
}

const UNKNOWN_VALUE = 'an unknown value was passed to the validate function';
const INDEX = /^\d+$/;

/** As `flattenValidationErrors` names a field; `property` is undefined only for an unknown value. */
function joinPath(parent: string, property: string | undefined): string {
  if (parent === '') return property as string;
  return INDEX.test(String(property)) ? `${parent}[${property}]` : `${parent}.${property}`;
}

function isPromise(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function isArrayLike(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

function toArray(value: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] {
  if (value instanceof Map) return Array.from(value.values());
  return Array.isArray(value) ? value : Array.from(value);
}

/** The rule's message as class-validator's `createValidationError` writes it. */
function messageOf(target: unknown, value: unknown, metadata: ValidationMetadata, rule?: CustomRule): string {
  const args: ValidationArguments = {
    targetName: (target as { constructor?: { name: string } }).constructor?.name as string,
    property: metadata.propertyName,
    object: target as object,
    value,
    constraints: metadata.constraints,
  };
  let message: string | ((args: ValidationArguments) => string) = metadata.message || '';
  if (!metadata.message && rule && rule.instance.defaultMessage instanceof Function) message = rule.instance.defaultMessage(args);
  return ValidationUtils.replaceMessageSpecialTokens(message, args);
}

/** Class-validator's `getConstraintType`. */
function ruleName(metadata: ValidationMetadata, rule?: CustomRule): string {
  return rule?.name ? rule.name : metadata.type;
}

class Compiler {
  private readonly plans = new Map<ClassRef, ClassPlan>();
  private readonly always: boolean;
  private readonly groups: string[] | undefined;

  constructor(options: ValidateInstanceOptions) {
    // As contractValidatorOptions: recorded data is checked with the `recorded` group and `always`.
    this.always = options.clockRules === false;
    this.groups = options.clockRules === false ? [RECORDED_DATA] : undefined;
  }

  plan(cls: ClassRef): ClassPlan {
    const known = this.plans.get(cls);
    if (known) return known;
    assertPlainDataClass(cls);
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(cls, undefined as unknown as string, this.always, false, this.groups);
    const grouped = storage.groupByPropertyName(metadatas);
    const plan: ClassPlan = { name: cls.name, empty: metadatas.length === 0, allowed: new Set(Object.keys(grouped)), properties: [] };
    // In the cache before its properties, so classes that nest each other compile.
    this.plans.set(cls, plan);
    const rulesOf = (list: ValidationMetadata[]): CustomRule[] =>
      list.flatMap((metadata) => storage.getTargetValidatorConstraints(metadata.constraintCls).map((constraint) => ({ metadata, name: constraint.name, async: constraint.async, instance: constraint.instance })));
    for (const [name, all] of Object.entries(grouped)) {
      const defined = all.filter((m) => m.type === ValidationTypes.IS_DEFINED);
      const others = all.filter((m) => m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.WHITELIST);
      const property: PropertyPlan = {
        name,
        conditions: others.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
        defined: rulesOf(defined),
        rules: rulesOf(others.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)),
        nested: others.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION),
      };
      if (property.nested.length > 0) property.nestedPlan = this.plan(nestedClass(cls, name));
      plan.properties.push(property);
    }
    return plan;
  }
}

/**
 * The class `plainToInstance` builds under a nested property. Only `@Type(() => Class)` is
 * supported: without it class-transformer would keep a plain object, which class-validator then
 * refuses as an unknown value; a contract class is never meant to be written that way.
 */
function nestedClass(cls: ClassRef, property: string): ClassRef {
  const type = defaultMetadataStorage.findTypeMetadata(cls, property);
  const nested = type?.typeFunction?.({ newObject: undefined, object: {}, property });
  if (typeof nested !== 'function') throw new Error(`${cls.name}.${property} is validated as nested but has no @Type(() => Class)`);
  return nested as ClassRef;
}

/**
 * `plainToInstance` skips keys that name a method or accessor of the class (the instance would
 * not get them, so class-validator would not see them). Contract classes have none, so the
 * plain object holds exactly what the instance would; refuse to compile a class that does.
 */
function assertPlainDataClass(cls: ClassRef): void {
  for (let proto = cls.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const members = Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor');
    if (members.length > 0) throw new Error(`${cls.name} has methods or accessors (${members.join(', ')}); its compiled checker would see keys plainToInstance drops`);
  }
}

/** Failed rules of one field, by rule name: class-validator's `constraints` object (a later message of a name replaces an earlier one in its place). */
type Failed = Record<string, string> | undefined;

/** The checking, on plain data: class-validator's `execute`, flattened as `flattenValidationErrors` does. */
function execute(plan: ClassPlan, object: Record<string, unknown>, path: string, errors: FieldError[]): void {
  if (plan.empty) {
    errors.push({ field: joinPath(path, undefined), message: UNKNOWN_VALUE });
    return;
  }
  for (const key of Object.keys(object)) {
    if (!plan.allowed.has(key)) errors.push({ field: joinPath(path, key), message: `property ${key} should not exist` });
  }
  for (const property of plan.properties) checkProperty(plan.name, object, property, path, errors);
}

function checkProperty(targetName: string, object: Record<string, unknown>, property: PropertyPlan, path: string, errors: FieldError[]): void {
  const value = object[property.name];
  let canValidate = true;
  for (const condition of property.conditions) canValidate = (condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value) && canValidate;
  if (!canValidate) return;
  let failed = checkRules(targetName, object, value, property.defined, undefined);
  failed = checkRules(targetName, object, value, property.rules, failed);
  if (property.nested.length === 0) {
    if (failed) pushFailed(errors, joinPath(path, property.name), failed);
    return;
  }
  // The field's own messages come before its children's.
  const field = joinPath(path, property.name);
  const children: FieldError[] = [];
  failed = checkNested(value, property, field, failed, children);
  if (failed) pushFailed(errors, field, failed);
  for (const child of children) errors.push(child);
}

function pushFailed(errors: FieldError[], field: string, failed: Record<string, string>): void {
  for (const message of Object.values(failed)) errors.push({ field, message });
}

function checkRules(targetName: string, object: object, value: unknown, rules: readonly CustomRule[], failed: Failed): Failed {
  for (const rule of rules) {
    const { metadata } = rule;
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    // validateSync ignores asynchronous rules, and the outcome of any rule that returns a promise.
    if (rule.async) continue;
    const args: ValidationArguments = { targetName, property: metadata.propertyName, object, value, constraints: metadata.constraints };
    let valid: boolean;
    if (!metadata.each || !isArrayLike(value)) {
      const outcome = rule.instance.validate(value, args);
      if (isPromise(outcome)) continue;
      valid = Boolean(outcome);
    } else {
      const outcomes = toArray(value).map((item) => rule.instance.validate(item, args));
      if (outcomes.some(isPromise)) continue;
      valid = outcomes.every(Boolean);
    }
    if (!valid) (failed ??= {})[ruleName(metadata, rule)] = messageOf(object, value, metadata, rule);
  }
  return failed;
}

function checkNested(value: unknown, property: PropertyPlan, field: string, failed: Failed, children: FieldError[]): Failed {
  if (value === undefined) return failed;
  for (const metadata of property.nested) {
    if (isArrayLike(value)) {
      // Each item is checked as class-validator checks an array's items: only for nesting.
      (value instanceof Set ? Array.from(value) : value).forEach((item: unknown, index: unknown) => {
        const itemField = joinPath(field, String(index));
        const itemChildren: FieldError[] = [];
        const itemFailed = checkNested(item, property, itemField, undefined, itemChildren);
        if (itemFailed) pushFailed(children, itemField, itemFailed);
        for (const child of itemChildren) children.push(child);
      });
    } else if (value instanceof Object) {
      execute(property.nestedPlan as ClassPlan, value as Record<string, unknown>, field, children);
    } else {
      (failed ??= {})[ruleName(metadata)] = messageOf(metadata.target, value, metadata);
    }
  }
  return failed;
}

const compilers = { client: new Compiler({}), recorded: new Compiler({ clockRules: false }) };

/**
 * The compiled checker of `cls`: {@link validateInstance}'s verdicts and errors for the same
 * input and options, faster. The value it returns is the checked data itself (no class
 * instances are built): contract classes hold data only. Compiles on first use.
 */
export function compileChecker<T extends object>(cls: new () => T, options: ValidateInstanceOptions = {}): CompiledChecker<T> {
  const compiler = options.clockRules === false ? compilers.recorded : compilers.client;
  let plan: ClassPlan | undefined;
  return (plain: unknown): ValidationResult<T> => {
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
    const shape = shapeErrors(plain);
    if (shape.length > 0) return { ok: false, errors: shape };
    plan ??= compiler.plan(cls);
    const errors: FieldError[] = [];
    execute(plan, plain as Record<string, unknown>, '', errors);
    return errors.length === 0 ? { ok: true, value: plain as T } : { ok: false, errors };
  };
}
