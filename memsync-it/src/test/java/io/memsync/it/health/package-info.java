/** MicroProfile Health readiness of shared objects in a Helidon MP server. */
package io.memsync.it.health;
