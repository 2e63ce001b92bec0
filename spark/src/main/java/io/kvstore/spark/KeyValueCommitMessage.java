package io.kvstore.spark;

import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * What one committed write task sends to the driver: its Spark partition, the attempt that won
 * the commit coordinator, and that attempt's task manifest (the partition files it finished).
 */
final class KeyValueCommitMessage implements WriterCommitMessage {
  private static final long serialVersionUID = 1L;

  final int partitionId;
  final String attempt;
  final byte[] manifest;

  KeyValueCommitMessage(int partitionId, String attempt, byte[] manifest) {
    this.partitionId = partitionId;
    this.attempt = attempt;
    this.manifest = manifest;
  }
}
