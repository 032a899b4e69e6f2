// Semantic comparison of an original GraphQL schema with the one Charter gives back after
// `charter import graphql` and `charter build --target graphql`. For the supported subset the two
// must agree on types, fields, arguments (names, types, nullability, defaults), enum values and
// deprecations; every difference must be excused by an import warning naming the construct, and
// every warning must name a construct of the original. Names follow the target's rules: the
// roots are `Query` and `Mutation`, input types end in `Input`, custom scalars other than the
// known ones become `String`, renamed names are read from the W8051 messages.

import assert from 'node:assert/strict';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  validateSchema,
} from 'graphql';

const KNOWN_SCALARS = new Set(['DateTime', 'Date', 'UUID', 'Decimal', 'Bytes']);
const BUILTIN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/** The warnings by `construct`, and the new names from W8051 messages. */
function index(warnings) {
  const byConstruct = new Map();
  const renamed = new Map();
  for (const w of warnings) {
    if (!byConstruct.has(w.construct)) byConstruct.set(w.construct, []);
    byConstruct.get(w.construct).push(w);
    const m = /(?:imported as|is named) `([^`]+)`/.exec(w.message);
    if (w.code === 'W8051' && m) renamed.set(w.construct, m[1]);
  }
  return { byConstruct, renamed };
}

export function compareSchemas(originalText, rebuiltText, warnings) {
  const original = buildSchema(originalText);
  const rebuilt = buildSchema(rebuiltText);
  assert.deepEqual(validateSchema(rebuilt).map(String), [], 'the rebuilt schema is valid');
  const { byConstruct, renamed } = index(warnings);
  const warned = (construct, code) =>
    (byConstruct.get(construct) ?? []).some((w) => code === undefined || w.code === code);

  // Fields added by `extend type` are excused by the extension's warning.
  const extended = new Set();
  for (const def of parse(originalText).definitions) {
    if (def.kind === Kind.OBJECT_TYPE_EXTENSION || def.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
      assert.ok(warned(`extension ${def.name.value}`, 'W8050'), `extension ${def.name.value} warned`);
      for (const f of def.fields ?? []) extended.add(`${def.name.value}.${f.name.value}`);
    }
  }

  const roots = new Map();
  if (original.getQueryType()) roots.set(original.getQueryType().name, 'Query');
  if (original.getMutationType()) roots.set(original.getMutationType().name, 'Mutation');
  const subscription = original.getSubscriptionType()?.name;

  const typeName = (name) => {
    if (roots.has(name)) return roots.get(name);
    if (BUILTIN.has(name)) return name;
    const t = original.getType(name);
    const charter = renamed.get(`type ${name}`) ?? name;
    if (isScalarType(t)) return KNOWN_SCALARS.has(name) ? name : 'String';
    if (isInputObjectType(t)) return charter.endsWith('Input') ? charter : `${charter}Input`;
    return charter;
  };
  const typeString = (t) => {
    if (isNonNullType(t)) return `${typeString(t.ofType)}!`;
    if (isListType(t)) return `[${typeString(t.ofType)}]`;
    return typeName(t.name);
  };
  const valueName = (type, value) => renamed.get(`value ${type}.${value}`) ?? value;

  const compared = { types: 0, fields: 0, args: 0, values: 0 };
  const images = new Set(['Query', 'Mutation']);

  for (const type of Object.values(original.getTypeMap())) {
    const name = type.name;
    if (name.startsWith('__') || BUILTIN.has(name)) continue;
    if (isInterfaceType(type) || isUnionType(type)) {
      const kind = isInterfaceType(type) ? 'interface' : 'union';
      assert.ok(warned(`${kind} ${name}`, 'W8050'), `${kind} ${name} warned`);
      assert.equal(rebuilt.getType(name), undefined, `${name} is not rebuilt`);
      continue;
    }
    if (name === subscription) {
      assert.ok(warned(`subscription ${name}`, 'W8050'), `subscription ${name} warned`);
      continue;
    }
    if (isScalarType(type)) {
      assert.ok(warned(`scalar ${name}`, 'W8052'), `scalar ${name} warned`);
      if (KNOWN_SCALARS.has(name)) images.add(name);
      continue;
    }
    const image = typeName(name);
    const got = rebuilt.getType(image);
    images.add(image);
    assert.ok(got, `${name} is rebuilt as ${image}`);
    compared.types += 1;
    if (isEnumType(type)) {
      assert.ok(isEnumType(got), `${image} is an enum`);
      const want = type.getValues().map((v) => [valueName(name, v.name), v.deprecationReason]);
      const have = got.getValues().map((v) => [v.name, v.deprecationReason]);
      assert.deepEqual(have, want, `values of ${name}`);
      compared.values += want.length;
      continue;
    }
    const isInput = isInputObjectType(type);
    assert.equal(isInputObjectType(got), isInput, `${image} has the kind of ${name}`);
    const root = roots.has(name);
    if (isObjectType(type) && type.getInterfaces().length > 0) {
      assert.ok(warned(`implements ${name}`, 'W8050'), `implements ${name} warned`);
    }
    const gotFields = got.getFields();
    const seen = new Set();
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${name}.${field.name}`;
      if (extended.has(coordinate)) continue;
      if (warned(`field ${coordinate}`, 'W8050')) {
        assert.equal(gotFields[field.name], undefined, `${coordinate} is dropped`);
        continue;
      }
      const fieldName = renamed.get(`field ${coordinate}`) ?? field.name;
      const g = gotFields[fieldName];
      assert.ok(g, `${coordinate} is rebuilt as ${image}.${fieldName}`);
      seen.add(fieldName);
      compared.fields += 1;
      assert.equal(typeString(g.type), typeString(field.type), `type of ${coordinate}`);
      assert.equal(g.deprecationReason ?? null, field.deprecationReason ?? null, `deprecation of ${coordinate}`);
      if (isInput) {
        if (!warned(`default ${coordinate}`, 'W8053')) {
          assert.deepEqual(g.defaultValue, field.defaultValue, `default of ${coordinate}`);
        }
        continue;
      }
      if (!root) {
        if (field.args.length > 0) assert.ok(warned(`arguments ${coordinate}`, 'W8050'), `arguments of ${coordinate} warned`);
        assert.equal(g.args.length, 0, `${coordinate} has no arguments`);
        continue;
      }
      compareArgs(coordinate, field, g, warned, renamed, typeString, compared);
    }
    assert.deepEqual([...Object.keys(gotFields)].filter((f) => !seen.has(f)), [], `no extra fields in ${image}`);
  }
  const extra = Object.keys(rebuilt.getTypeMap()).filter(
    (n) => !n.startsWith('__') && !BUILTIN.has(n) && !images.has(n),
  );
  assert.deepEqual(extra, [], 'no types that the original lacks');
  checkWarningsNameConstructs(original, warnings);
  return compared;
}

function compareArgs(coordinate, field, got, warned, renamed, typeString, compared) {
  const gotArgs = new Map(got.args.map((a) => [a.name, a]));
  const seen = new Set();
  for (const arg of field.args) {
    const c = `${coordinate}(${arg.name}:)`;
    if (warned(`argument ${c}`, 'W8050')) continue;
    if (warned(`argument ${c}`, 'W8056')) {
      // The body (named `input`) or a list whose items became non-null: same named type.
      const g = gotArgs.get(arg.name) ?? gotArgs.get('input');
      assert.ok(g, `${c} is rebuilt`);
      seen.add(g.name);
      assert.equal(
        typeString(getNamedType(g.type)),
        typeString(getNamedType(arg.type)),
        `named type of ${c}`,
      );
      compared.args += 1;
      continue;
    }
    const name = renamed.get(`argument ${c}`) ?? arg.name;
    const g = gotArgs.get(name);
    assert.ok(g, `${c} is rebuilt as ${name}`);
    seen.add(name);
    compared.args += 1;
    assert.equal(typeString(g.type), typeString(arg.type), `type of ${c}`);
    if (!warned(`default ${c}`, 'W8053')) {
      assert.deepEqual(g.defaultValue, arg.defaultValue, `default of ${c}`);
    }
  }
  assert.deepEqual([...gotArgs.keys()].filter((a) => !seen.has(a)), [], `no extra arguments of ${coordinate}`);
}

/** Every warning names a construct the original has (by its kind and coordinate). */
function checkWarningsNameConstructs(original, warnings) {
  for (const w of warnings) {
    assert.match(w.code, /^W80[5-9][0-9]$/, `code of ${w.construct}`);
    assert.match(w.location, /:\d+:\d+$/, `location of ${w.construct}`);
    const [kind, rest] = w.construct.split(/ (.*)/s);
    const coordinate = rest.replace(/^@/, '');
    const typeOf = (n) => original.getType(n);
    switch (kind) {
      case 'interface':
      case 'union':
      case 'scalar':
      case 'subscription':
      case 'implements':
      case 'type':
        assert.ok(typeOf(coordinate), `${w.construct} names a type`);
        break;
      case 'field':
      case 'arguments':
      case 'deprecation':
      case 'default':
      case 'argument':
      case 'description':
      case 'value': {
        const m = /^([^.]+)\.([^(]+)(?:\(([^:]+):\))?$/.exec(coordinate);
        assert.ok(m, `${w.construct} is a coordinate`);
        const t = typeOf(m[1]);
        assert.ok(t, `${w.construct}: type ${m[1]}`);
        if (isEnumType(t)) {
          assert.ok(t.getValue(m[2]), `${w.construct}: value ${m[2]}`);
        } else {
          const f = t.getFields()[m[2]];
          assert.ok(f, `${w.construct}: field ${m[2]}`);
          if (m[3]) assert.ok(f.args.some((a) => a.name === m[3]), `${w.construct}: argument ${m[3]}`);
        }
        break;
      }
      case 'directive':
      case 'extension':
        break;
      default:
        assert.fail(`unknown construct kind in ${w.construct}`);
    }
  }
}
