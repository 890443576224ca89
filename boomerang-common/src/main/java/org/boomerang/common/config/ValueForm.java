package org.boomerang.common.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a value type of a config record is written, for {@link ConfigReader}'s refusals: a value it
 * cannot read is reported as "is not {@code value()}", and the fix says "write {@code value()}".
 * Put it on a type written as one string, e.g. {@code @ValueForm("HOST:PORT such as 127.0.0.1:7002")}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ValueForm {
    /** The form, phrased to follow "is not" and "write": {@code HOST:PORT such as 127.0.0.1:7002}. */
    String value();
}
