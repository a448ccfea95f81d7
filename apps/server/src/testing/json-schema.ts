/**
 * A small JSON Schema (draft-04) checker for tests: the keywords the Teams manifest schema uses,
 * with local `#/…` references. A keyword it does not know fails loudly instead of passing quietly.
 */

type Schema = { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(["$schema", "id", "title", "description", "default", "definitions", "examples"]);

export function validate(root: Schema, value: unknown): string[] {
  const problems: string[] = [];
  check(root, root, value, "$", problems);
  return problems;
}

function check(root: Schema, schema: Schema, value: unknown, path: string, problems: string[]): void {
  if (typeof schema.$ref === "string") {
    // In draft-04 a $ref replaces the rest of its object.
    check(root, resolveRef(root, schema.$ref), value, path, problems);
    return;
  }
  for (const [keyword, rule] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const fail = (message: string) => problems.push(`${path}: ${message}`);
    switch (keyword) {
      case "type": {
        const types = Array.isArray(rule) ? (rule as string[]) : [rule as string];
        if (!types.some((type) => isType(value, type))) fail(`should be ${types.join(" or ")}`);
        break;
      }
      case "enum":
        if (!(rule as unknown[]).some((option) => same(option, value)))
          fail(`should be one of ${JSON.stringify(rule)}`);
        break;
      case "const":
        if (!same(rule, value)) fail(`should be ${JSON.stringify(rule)}`);
        break;
      case "pattern":
        if (typeof value === "string" && !new RegExp(rule as string, "u").test(value)) fail(`should match ${rule}`);
        break;
      case "maxLength":
        if (typeof value === "string" && [...value].length > (rule as number)) fail(`longer than ${rule}`);
        break;
      case "minLength":
        if (typeof value === "string" && [...value].length < (rule as number)) fail(`shorter than ${rule}`);
        break;
      case "maximum":
        if (typeof value === "number" && value > (rule as number)) fail(`more than ${rule}`);
        break;
      case "minimum":
        if (typeof value === "number" && value < (rule as number)) fail(`less than ${rule}`);
        break;
      case "format":
        if (rule === "uri" && typeof value === "string" && !URL.canParse(value)) fail("should be a URI");
        break;
      case "required":
        if (isObject(value)) {
          for (const name of rule as string[]) if (!(name in value)) fail(`missing ${name}`);
        }
        break;
      case "minProperties":
        if (isObject(value) && Object.keys(value).length < (rule as number)) fail(`fewer than ${rule} properties`);
        break;
      case "maxProperties":
        if (isObject(value) && Object.keys(value).length > (rule as number)) fail(`more than ${rule} properties`);
        break;
      case "properties":
        if (isObject(value)) {
          for (const [name, sub] of Object.entries(rule as Record<string, Schema>)) {
            if (name in value) check(root, sub, value[name], `${path}.${name}`, problems);
          }
        }
        break;
      case "patternProperties":
        if (isObject(value)) {
          for (const [pattern, sub] of Object.entries(rule as Record<string, Schema>)) {
            for (const name of Object.keys(value)) {
              if (new RegExp(pattern, "u").test(name)) check(root, sub, value[name], `${path}.${name}`, problems);
            }
          }
        }
        break;
      case "additionalProperties":
        if (isObject(value)) {
          const known = Object.keys((schema.properties as object | undefined) ?? {});
          const patterns = Object.keys((schema.patternProperties as object | undefined) ?? {});
          for (const name of Object.keys(value)) {
            if (known.includes(name) || patterns.some((pattern) => new RegExp(pattern, "u").test(name))) continue;
            if (rule === false) fail(`unexpected property ${name}`);
            else if (isObject(rule)) check(root, rule, value[name], `${path}.${name}`, problems);
          }
        }
        break;
      case "dependencies":
        if (isObject(value)) {
          for (const [name, dependency] of Object.entries(rule as Record<string, unknown>)) {
            if (!(name in value)) continue;
            if (Array.isArray(dependency)) {
              for (const needed of dependency as string[]) if (!(needed in value)) fail(`${name} needs ${needed}`);
            } else check(root, dependency as Schema, value, path, problems);
          }
        }
        break;
      case "items":
        if (Array.isArray(value)) {
          value.forEach((item, i) => {
            const sub = Array.isArray(rule) ? (rule[i] as Schema | undefined) : (rule as Schema);
            if (sub) check(root, sub, item, `${path}[${i}]`, problems);
          });
        }
        break;
      case "minItems":
        if (Array.isArray(value) && value.length < (rule as number)) fail(`fewer than ${rule} items`);
        break;
      case "maxItems":
        if (Array.isArray(value) && value.length > (rule as number)) fail(`more than ${rule} items`);
        break;
      case "uniqueItems":
        if (Array.isArray(value) && rule === true && value.some((a, i) => value.slice(i + 1).some((b) => same(a, b)))) {
          fail("has repeated items");
        }
        break;
      case "allOf":
        for (const sub of rule as Schema[]) check(root, sub, value, path, problems);
        break;
      case "anyOf":
      case "oneOf": {
        const passing = (rule as Schema[]).filter((sub) => validateAt(root, sub, value).length === 0).length;
        if (keyword === "anyOf" ? passing === 0 : passing !== 1) fail(`should match ${keyword} (${passing} match)`);
        break;
      }
      case "not":
        if (validateAt(root, rule as Schema, value).length === 0) fail("should not match");
        break;
      default:
        throw new Error(`${path}: the JSON Schema keyword ${keyword} is not checked here`);
    }
  }
}

function validateAt(root: Schema, schema: Schema, value: unknown): string[] {
  const problems: string[] = [];
  check(root, schema, value, "$", problems);
  return problems;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#")) throw new Error(`only local references are followed (got ${ref})`);
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) ? node[key] : undefined;
    if (node === undefined) throw new Error(`unresolved reference ${ref}`);
  }
  return node as Schema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
