package io.jsworkflows.localstack.stack;

import io.jsworkflows.localstack.client.KafkaTools;

/**
 * Creates the platform's topics before any service starts, so that no service creates one with broker defaults
 * (partitions, compaction) by subscribing or producing first.
 */
final class StackTopics {

    private final StackSettings s;
    private final StackConsole console;

    StackTopics(StackSettings settings, StackConsole console) {
        this.s = settings;
        this.console = console;
    }

    void create() {
        long t = System.nanoTime();
        console.step("topics", "creating the platform topics");
        int created = KafkaTools.createPlatformTopics(s.kafkaBootstrap());
        console.done("topics", t, KafkaTools.allTopics().size() + " topics present (" + created + " created)");
    }
}
