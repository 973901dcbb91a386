/**
 * One CDI contract run in every CDI runtime memsync names: {@link io.memsync.cdi.runtimes.RuntimeContract} and
 * {@link io.memsync.cdi.runtimes.DefinitionErrorContract}, deploying {@link io.memsync.cdi.runtimes.Fixture}'s beans;
 * Weld SE, OpenWebBeans SE and Arquillian here, Helidon MP in memsync-it (through this module's test jar).
 */
package io.memsync.cdi.runtimes;
