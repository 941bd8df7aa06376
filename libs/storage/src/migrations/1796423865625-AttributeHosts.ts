import { MigrationInterface, QueryRunner } from "typeorm";

/** A transition table (or table) of rows carrying candidate_id and attr_ids, each row one host, counted with `sign`. */
type Source = { table: string; sign: 1 | -1; where?: string };

const from = (s: Source) => `${s.table} r${s.where ? ` WHERE ${s.where}` : ''}`;
const where = (s: Source) => (s.where ? ` WHERE ${s.where}` : '');

/** Net hosts per (candidate, attribute value) over the sources. */
const cellDelta = (sources: Source[]) =>
    `SELECT candidate_id, attr_id, sum(d)::int AS n FROM (
       ${sources.map((s) => `SELECT r.candidate_id, i AS attr_id, ${s.sign} AS d FROM ${s.table} r CROSS JOIN LATERAL unnest(r.attr_ids) i${where(s)}`).join(' UNION ALL ')}) x
     GROUP BY 1, 2 HAVING sum(d) <> 0`;

/** Net hosts per (candidate, attribute) with any value of it over the sources. */
const knownDelta = (sources: Source[]) =>
    `SELECT candidate_id, attribute, sum(d)::int AS n FROM (
       ${sources.map((s) => `SELECT r.candidate_id, a.attribute, ${s.sign} AS d FROM ${s.table} r CROSS JOIN LATERAL (
           SELECT DISTINCT split_part(k.key, '=', 1) AS attribute FROM unnest(r.attr_ids) i JOIN hardware_attribute k ON k.id = i) a${where(s)}`).join(' UNION ALL ')}) x
     GROUP BY 1, 2 HAVING sum(d) <> 0`;

/** Adds the deltas (sorted, so concurrent writers lock rows in one order) and drops rows no host holds any more. */
const apply = (sources: Source[]) => `
    INSERT INTO candidate_attribute_hosts AS t (candidate_id, attr_id, hosts)
    SELECT candidate_id, attr_id, n FROM (${cellDelta(sources)}) d ORDER BY 1, 2
    ON CONFLICT (candidate_id, attr_id) DO UPDATE SET hosts = t.hosts + EXCLUDED.hosts;
    INSERT INTO candidate_attribute_known AS t (candidate_id, attribute, hosts)
    SELECT candidate_id, attribute, n FROM (${knownDelta(sources)}) d ORDER BY 1, 2
    ON CONFLICT (candidate_id, attribute) DO UPDATE SET hosts = t.hosts + EXCLUDED.hosts;
    ${sources.some((s) => s.sign < 0) ? `
    DELETE FROM candidate_attribute_hosts t USING (SELECT DISTINCT r.candidate_id FROM ${sources.filter((s) => s.sign < 0).map(from).join(' UNION SELECT r.candidate_id FROM ')}) c
     WHERE t.candidate_id = c.candidate_id AND t.hosts <= 0;
    DELETE FROM candidate_attribute_known t USING (SELECT DISTINCT r.candidate_id FROM ${sources.filter((s) => s.sign < 0).map(from).join(' UNION SELECT r.candidate_id FROM ')}) c
     WHERE t.candidate_id = c.candidate_id AND t.hosts <= 0;` : ''}`;

const HOSTLESS = 'r.host_key IS NULL';

export class AttributeHosts1796423865625 implements MigrationInterface {
    name = 'AttributeHosts1796423865625'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "candidate_attribute_hosts" ("candidate_id" uuid NOT NULL, "attr_id" integer NOT NULL, "hosts" integer NOT NULL, CONSTRAINT "PK_cc2ce9a6aa03e794968b14de26c" PRIMARY KEY ("candidate_id", "attr_id"))`);
        await queryRunner.query(`CREATE TABLE "candidate_attribute_known" ("candidate_id" uuid NOT NULL, "attribute" text NOT NULL, "hosts" integer NOT NULL, CONSTRAINT "PK_af8a12dc7f7ca386281a5237792" PRIMARY KEY ("candidate_id", "attribute"))`);
        // Hand-written from here on. A host is a candidate_host row (attr_ids: the union over its crashes in the
        // candidate); a crash without a host is a host of its own. Existing rows are counted in.
        await queryRunner.query(apply([{ table: 'candidate_host', sign: 1 }, { table: 'crash_hardware', sign: 1, where: HOSTLESS }]));
        // Statement triggers keep both tables right in the writer's transaction (grouping, merge, split,
        // regrouping, relink, erasure all write candidate_host or crash_hardware).
        const triggers: Array<[string, string, 'INSERT' | 'UPDATE' | 'DELETE', Source[]]> = [
            ['candidate_host', 'candidate_host_attributes_insert', 'INSERT', [{ table: 'new_rows', sign: 1 }]],
            ['candidate_host', 'candidate_host_attributes_update', 'UPDATE', [{ table: 'new_rows', sign: 1 }, { table: 'old_rows', sign: -1 }]],
            ['candidate_host', 'candidate_host_attributes_delete', 'DELETE', [{ table: 'old_rows', sign: -1 }]],
            ['crash_hardware', 'crash_hardware_hostless_insert', 'INSERT', [{ table: 'new_rows', sign: 1, where: HOSTLESS }]],
            ['crash_hardware', 'crash_hardware_hostless_update', 'UPDATE', [{ table: 'new_rows', sign: 1, where: HOSTLESS }, { table: 'old_rows', sign: -1, where: HOSTLESS }]],
            ['crash_hardware', 'crash_hardware_hostless_delete', 'DELETE', [{ table: 'old_rows', sign: -1, where: HOSTLESS }]],
        ];
        for (const [table, name, event, sources] of triggers) {
            await queryRunner.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                  ${apply(sources)}
                  RETURN NULL;
                END $fn$`);
            const referencing = [event !== 'INSERT' ? 'OLD TABLE AS old_rows' : '', event !== 'DELETE' ? 'NEW TABLE AS new_rows' : ''].filter(Boolean).join(' ');
            await queryRunner.query(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const [table, name] of [
            ['crash_hardware', 'crash_hardware_hostless_delete'], ['crash_hardware', 'crash_hardware_hostless_update'], ['crash_hardware', 'crash_hardware_hostless_insert'],
            ['candidate_host', 'candidate_host_attributes_delete'], ['candidate_host', 'candidate_host_attributes_update'], ['candidate_host', 'candidate_host_attributes_insert'],
        ]) {
            await queryRunner.query(`DROP TRIGGER ${name} ON ${table}`);
            await queryRunner.query(`DROP FUNCTION ${name}()`);
        }
        await queryRunner.query(`DROP TABLE "candidate_attribute_known"`);
        await queryRunner.query(`DROP TABLE "candidate_attribute_hosts"`);
    }

}
