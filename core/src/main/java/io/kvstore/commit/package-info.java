/**
 * The engine-neutral commit protocol that every job writing a store follows, whatever runs it:
 * claim the output path ({@link io.kvstore.commit.SetupJobStage}, an owner marker created
 * exclusively), write each task attempt's partition files into its own directory
 * ({@link io.kvstore.commit.AttemptWriter}, which records a
 * {@link io.kvstore.commit.TaskManifest}), and publish the committed tasks' files as a complete
 * store ({@link io.kvstore.commit.PublishStage}: verify, check for duplicate keys across
 * overlapping partitions, move, one manifest rename), or abort
 * ({@link io.kvstore.commit.AbortJobStage}). Which attempt of a task won is the engine's to
 * decide: the MapReduce committer commits task manifests by a rename that refuses to overwrite,
 * Spark's commit coordinator hands the winners' commit messages to the driver.
 *
 * <p>Dependencies: kvstore-core and Hadoop Common; no engine types (MapReduce, Spark).
 */
package io.kvstore.commit;
