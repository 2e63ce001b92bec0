/**
 * Integration tests (failsafe, {@code *IT}): stores on MiniDFSCluster, the jobs on the local
 * runner over HDFS and on mini YARN, the job jar and the launcher scripts.
 *
 * <p>Dependencies: every kvstore module, Hadoop's mini clusters.
 */
package io.kvstore.it;
