package org.boomerang.control.plan;

/** A pre or post step of a plan group: a script with a timeout, or a manual action an operator confirms. */
public sealed interface PlanAction permits ScriptAction, ManualAction {
    /** One line for the job log. */
    String describe();
}
