// Package broker owns the embedded Kafka-protocol broker of the default run:
// one in-process franz-go kfake broker with the run's topics created up
// front, that the async edge, the consumers and loadgen's Kafka paths talk
// to as they would to a real cluster.
//
// The broker never creates a topic on a metadata request (kafka-go's
// Conn.ReadPartitions asks for that): a topic exists because Config.Topics
// named it or because a client created it with CreateTopics. Data lives in
// memory and is gone when the broker closes.
//
// Consumer groups (the classic JoinGroup/SyncGroup protocol that kafka-go
// speaks) work against it, with one quirk of kfake worth knowing: when a
// rebalance completes without the previous leader among the members, every
// member's JoinGroup answer names that member itself as the leader. Each
// then computes an assignment, but the broker keeps only the one from the
// member it recorded last, and gives that one to everybody. kafka-go's
// balancers sort members by id, so every "leader" computes the same
// assignment and the quirk costs one extra metadata request per member.
package broker
