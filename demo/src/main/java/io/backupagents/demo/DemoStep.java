package io.backupagents.demo;

/** One step of the demo; steps run in order and share a {@link DemoContext}. */
public interface DemoStep {

  /** A heading printed before the step runs. */
  String title();

  /** Does the step; throwing stops the demo with a failure. */
  void run(DemoContext context) throws Exception;
}
