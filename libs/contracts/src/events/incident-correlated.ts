// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsObject, IsUUID, Min, ValidateNested } from 'class-validator';
import { Observable } from '../observables/observable';
import { BOUNDS } from '../validation/bounds';
import { IsExerciseId } from '../exercise/exercise-id';
import { IsOcdId, Optional } from '../validation/rules';

/**
 * `watchfloor.incident.correlated.v1`: a cluster of related incidents formed or grew. Its
 * subject's state token is the incidents' common state, or `us` when they span states.
 */
export class IncidentCorrelatedV1 {
  @IsUUID()
  clusterId: string;

  /** The cluster's version: it grows by one each time the cluster changes. */
  @IsInt()
  @Min(1)
  version: number;

  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(BOUNDS.clusterIncidents)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  incidentIds: string[];

  /** Distinct jurisdictions of the incidents. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BOUNDS.clusterIncidents)
  @ArrayUnique()
  @IsOcdId({ each: true })
  jurisdictions: string[];

  /** The normalised observables the incidents share. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BOUNDS.observables)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Observable)
  sharedObservables: Observable[];

  /** True when the incidents come from 3 or more jurisdictions. */
  @IsBoolean()
  campaign: boolean;

  /** The exercise of every member (a cluster never mixes exercises with real incidents) (docs/exercises.md); absent for real traffic. */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}
