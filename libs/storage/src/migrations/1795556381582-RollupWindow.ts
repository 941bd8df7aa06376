import { MigrationInterface, QueryRunner } from "typeorm";

export class RollupWindow1795556381582 implements MigrationInterface {
    name = 'RollupWindow1795556381582'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "fleet_rollup_state" ("id" smallint NOT NULL DEFAULT '1', "window_days" integer NOT NULL, "rebuilt_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d816f0ad37cb13bc3c129b75939" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "fleet_rollup_state"`);
    }

}
