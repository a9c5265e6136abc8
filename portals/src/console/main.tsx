import { mount } from "../shared/mount";
import { App } from "./App";

mount(App, { sessionKey: "dotmac.console.session", basename: "/console" });
