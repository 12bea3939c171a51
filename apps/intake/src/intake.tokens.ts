/** Intake's TypeORM data source (schema `intake`). */
export const INTAKE_DATA_SOURCE = Symbol('intake.dataSource');
