--
-- PostgreSQL database cluster dump
--

\restrict MMZ4m2Tbsn1YuB2YwYdJf8EuLAM5IoYWcyOBO8w0eWqhtGdzOzhz7JiHKRvUlfU

SET default_transaction_read_only = off;

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

--
-- Drop databases (except postgres and template1)
--

DROP DATABASE IF EXISTS app;




--
-- Drop roles
--

DROP ROLE IF EXISTS appuser;
DROP ROLE IF EXISTS postgres;


--
-- Roles
--

CREATE ROLE appuser;
ALTER ROLE appuser WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:jmQwWvVe3ntFJ5oIAKr7Mw==$yi1ONSGvQDVAluTj+AZlfrvfateZiVWy0Fzl03UigcY=:Kd/w2mYVlu7P+tXUhHi7fpcevwPQq76l/j95DPG2ooI=';
CREATE ROLE postgres;
ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;

--
-- User Configurations
--

--
-- User Config "postgres"
--

ALTER ROLE postgres SET work_mem TO '8MB';








\unrestrict MMZ4m2Tbsn1YuB2YwYdJf8EuLAM5IoYWcyOBO8w0eWqhtGdzOzhz7JiHKRvUlfU

--
-- Databases
--

--
-- Database "template1" dump
--

--
-- PostgreSQL database dump
--

\restrict f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

UPDATE pg_catalog.pg_database SET datistemplate = false WHERE datname = 'template1';
DROP DATABASE template1;
--
-- Name: template1; Type: DATABASE; Schema: -; Owner: postgres
--

CREATE DATABASE template1 WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C.UTF-8';


ALTER DATABASE template1 OWNER TO postgres;

\unrestrict f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH
\connect template1
\restrict f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: DATABASE template1; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON DATABASE template1 IS 'default template for new databases';


--
-- Name: template1; Type: DATABASE PROPERTIES; Schema: -; Owner: postgres
--

ALTER DATABASE template1 IS_TEMPLATE = true;


\unrestrict f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH
\connect template1
\restrict f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: DATABASE template1; Type: ACL; Schema: -; Owner: postgres
--

REVOKE CONNECT,TEMPORARY ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT ON DATABASE template1 TO PUBLIC;


--
-- PostgreSQL database dump complete
--

\unrestrict f4zhsY6guZkRBHJycXY8IjwjCoGn9uWVMt7vJpFGkc8zyWZGtXxpQLak9f6ILQH

--
-- Database "app" dump
--

--
-- PostgreSQL database dump
--

\restrict lwvbunLDP0M2dR4Pz7EeWunc5ZuUXngqUNqf2cKhgk5VKZsqwegZDu2md3wHXfR

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: DATABASE; Schema: -; Owner: appuser
--

CREATE DATABASE app WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C.UTF-8';


ALTER DATABASE app OWNER TO appuser;

\unrestrict lwvbunLDP0M2dR4Pz7EeWunc5ZuUXngqUNqf2cKhgk5VKZsqwegZDu2md3wHXfR
\connect app
\restrict lwvbunLDP0M2dR4Pz7EeWunc5ZuUXngqUNqf2cKhgk5VKZsqwegZDu2md3wHXfR

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: DATABASE app; Type: COMMENT; Schema: -; Owner: appuser
--

COMMENT ON DATABASE app IS 'the app''s data;
second line';


--
-- Name: s2; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA s2;


ALTER SCHEMA s2 OWNER TO postgres;

--
-- Name: cleanup(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.cleanup() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
DROP DATABASE IF EXISTS app;
GRANT SELECT ON public.p TO appuser;
ALTER TABLE public.p OWNER TO appuser;
END $$;


ALTER FUNCTION public.cleanup() OWNER TO postgres;

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    AS $$ select 1 $$;


ALTER FUNCTION public.f() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: copy_trap; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.copy_trap (
    id integer,
    body text
);


ALTER TABLE public.copy_trap OWNER TO postgres;

--
-- Name: p; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.p (
    a integer
);


ALTER TABLE public.p OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: s2; Owner: appuser
--

CREATE TABLE s2.t (
    id integer NOT NULL,
    txt text
);


ALTER TABLE s2.t OWNER TO appuser;

--
-- Name: 16394; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('16394');


ALTER LARGE OBJECT 16394 OWNER TO postgres;

--
-- Data for Name: copy_trap; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.copy_trap (id, body) FROM stdin;
1	DROP ROLE IF EXISTS postgres;\n\\connect template1\nDROP DATABASE app;
2	-- Database "x" dump
3	\\.
4	x\n\\.\nGRANT ALL ON DATABASE app TO PUBLIC;
\.


--
-- Data for Name: p; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.p (a) FROM stdin;
\.


--
-- Data for Name: t; Type: TABLE DATA; Schema: s2; Owner: appuser
--

COPY s2.t (id, txt) FROM stdin;
1	héllo ünïcode ✓
\.


--
-- Data for Name: BLOBS; Type: BLOBS; Schema: -; Owner: -
--

BEGIN;

SELECT pg_catalog.lo_open('16394', 131072);
SELECT pg_catalog.lowrite(0, '\x6c61726765206f626a6563742064617461');
SELECT pg_catalog.lo_close(0);

COMMIT;

--
-- Name: t t_pkey; Type: CONSTRAINT; Schema: s2; Owner: appuser
--

ALTER TABLE ONLY s2.t
    ADD CONSTRAINT t_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict lwvbunLDP0M2dR4Pz7EeWunc5ZuUXngqUNqf2cKhgk5VKZsqwegZDu2md3wHXfR

--
-- Database "postgres" dump
--

--
-- PostgreSQL database dump
--

\restrict XKzZGYCHaDujy7fjsmVnF5gNVtUhHNBYsJ7AFJfDFPofADX9je04w4uAxRRWFll

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

DROP DATABASE postgres;
--
-- Name: postgres; Type: DATABASE; Schema: -; Owner: postgres
--

CREATE DATABASE postgres WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C.UTF-8';


ALTER DATABASE postgres OWNER TO postgres;

\unrestrict XKzZGYCHaDujy7fjsmVnF5gNVtUhHNBYsJ7AFJfDFPofADX9je04w4uAxRRWFll
\connect postgres
\restrict XKzZGYCHaDujy7fjsmVnF5gNVtUhHNBYsJ7AFJfDFPofADX9je04w4uAxRRWFll

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: DATABASE postgres; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON DATABASE postgres IS 'default administrative connection database';


--
-- PostgreSQL database dump complete
--

\unrestrict XKzZGYCHaDujy7fjsmVnF5gNVtUhHNBYsJ7AFJfDFPofADX9je04w4uAxRRWFll

--
-- PostgreSQL database cluster dump complete
--

