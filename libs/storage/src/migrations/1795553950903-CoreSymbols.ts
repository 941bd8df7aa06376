import { MigrationInterface, QueryRunner } from "typeorm";

export class CoreSymbols1795553950903 implements MigrationInterface {
    name = 'CoreSymbols1795553950903'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "core_symbol" ("build_id" text NOT NULL, "build_id_offset" bigint NOT NULL, "function_name" text NOT NULL, CONSTRAINT "PK_522aa1e4fe425ca71c41bb3bafe" PRIMARY KEY ("build_id", "build_id_offset"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "core_symbol"`);
    }

}
